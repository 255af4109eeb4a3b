package io.parley.architecture;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Parley's layering, checked against the production classes of every module.
 *
 * <p>Test classes (including the deliberately violating fixtures of this module, see
 * {@link RulesCatchViolationsTest}) are left out by {@link ImportOption.DoNotIncludeTests}. Every rule keeps
 * ArchUnit's default {@code failOnEmptyShould}, so a rule whose {@code that()} matches nothing fails instead of
 * passing silently.
 */
@AnalyzeClasses(packages = "io.parley", importOptions = ImportOption.DoNotIncludeTests.class)
class ParleyArchitectureTest {

    static final String DOMAIN = "io.parley.domain..";
    static final String APPLICATION = "io.parley.application..";
    static final String ENGINE = "io.parley.engine..";
    static final String WIRE = "io.parley.wire..";
    static final String ADAPTERS = "io.parley.adapters..";
    static final String BOOTSTRAP = "io.parley.bootstrap..";
    static final String TESTKIT = "io.parley.testkit..";

    /** The outbound ports that hold or move chat data, with their nested types (not authentication or monitoring). */
    static final String DATA_PORTS = "io\\.parley\\.application\\.port\\.out\\."
            + "(Rooms|RoomLog|Fanout|PresenceRegistry|ResumableSessions?|Signal|Topic)(\\$.*)?";

    @ArchTest
    static final ArchRule domain_depends_only_on_the_jdk = classes()
            .that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN)
            .because("the domain model is plain Java that every other layer may use");

    @ArchTest
    static final ArchRule application_depends_only_on_the_domain = classes()
            .that().resideInAPackage(APPLICATION)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, APPLICATION)
            .because("use cases and ports are the library's API; transports and stores plug in from outside");

    @ArchTest
    static final ArchRule engine_depends_only_on_the_use_cases_and_the_domain = classes()
            .that().resideInAPackage(ENGINE)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, APPLICATION, ENGINE)
            .because("the session engine sits between the use cases and the transports; it speaks to sockets "
                    + "only through SessionSink and to JSON only through EventEncoder");

    @ArchTest
    static final ArchRule domain_application_and_engine_do_not_use_frameworks = noClasses()
            .that().resideInAnyPackage(DOMAIN, APPLICATION, ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.helidon..", "com.fasterxml.jackson..", "java.sql..", "javax.sql..", "io.lettuce..",
                    "org.jose4j..", "org.postgresql..", "org.flywaydb..", "redis.clients..", "io.netty..",
                    "jakarta..", "javax.inject..", "lombok..")
            .because("the core must embed anywhere; java.sql is part of the JDK, so the JDK-only rules miss it");

    @ArchTest
    static final ArchRule wire_codec_depends_only_on_the_core_and_jackson = classes()
            .that().resideInAPackage(WIRE)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", DOMAIN, APPLICATION, ENGINE, WIRE, "com.fasterxml.jackson..")
            .because("the protocol codec is shared by every HTTP transport, so it must not pull one in");

    @ArchTest
    static final ArchRule inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine = noClasses()
            .that().resideInAnyPackage("io.parley.adapters.ws..", "io.parley.adapters.rest..",
                    "io.parley.adapters.ssepolling..")
            .should().dependOnClassesThat().haveNameMatching(DATA_PORTS)
            .because("an inbound adapter turns bytes into use-case calls and sessions into bytes; what is "
                    + "stored and fanned out is the business of the use cases and the engine (live sessions "
                    + "in SessionHub, resumable ones in ResumableHub)");

    @ArchTest
    static final ArchRule adapters_do_not_depend_on_each_other = slices()
            .matching("io.parley.adapters.(*)..")
            .should().notDependOnEachOther()
            .because("each adapter is swappable on its own; they meet only through ports wired in bootstrap");

    @ArchTest
    static final ArchRule only_bootstrap_wires_adapters = noClasses()
            .that().resideOutsideOfPackages(ADAPTERS, BOOTSTRAP)
            .should().dependOnClassesThat().resideInAPackage(ADAPTERS)
            .because("bootstrap is the composition root; everything else sees adapters only through ports");

    @ArchTest
    static final ArchRule main_code_does_not_depend_on_the_testkit = noClasses()
            .that().resideOutsideOfPackage(TESTKIT)
            .should().dependOnClassesThat().resideInAPackage(TESTKIT)
            .because("the testkit is test support and must never ship inside the server");

    @ArchTest
    static final ArchRule time_comes_from_an_injected_clock = noClasses()
            .that().resideOutsideOfPackage(BOOTSTRAP)
            .should().accessTargetWhere(SystemClockReads.readingTheSystemClock())
            .because("time must come from an injected java.time.Clock so that tests can step it; "
                    + "Clock.systemUTC() and now(clock) are fine, only bootstrap may read the system clock");

    @ArchTest
    static final ArchRule adapters_are_package_private_except_their_entry_points = classes()
            .that().resideInAPackage(ADAPTERS)
            .and().arePublic()
            .should().haveModifier(JavaModifier.FINAL)
            .orShould().beInterfaces()
            .orShould().beEnums()
            .because("an adapter shows the world only final entry points (factories, settings); its "
                    + "internals (port implementations, wire DTOs, rows) stay package-private");

    @ArchTest
    static final ArchRule adapters_implement_ports_in_package_private_classes = classes()
            .that().resideInAPackage(ADAPTERS)
            .and().implement(resideInAPackage(APPLICATION))
            .should().notBePublic()
            .because("callers get the port interface from the adapter's factory, never the implementing class");

    @ArchTest
    static final ArchRule no_cycles_between_packages = slices()
            .matching("io.parley.(*)..")
            .should().beFreeOfCycles()
            .because("layers only point inwards: bootstrap > adapters > wire > engine > application > domain");

    @ArchTest
    static final ArchRule no_cycles_between_any_two_packages = slices()
            .matching("io.parley.(**)")
            .should().beFreeOfCycles()
            .because("inside a layer too (port.in, port.out, service...) dependencies run one way only");
}
