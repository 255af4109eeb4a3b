package io.parley.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Locations;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.parley.application.port.out.TokenVerifier;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.parley.architecture.ParleyArchitectureTest.adapters_are_package_private_except_their_entry_points;
import static io.parley.architecture.ParleyArchitectureTest.adapters_do_not_depend_on_each_other;
import static io.parley.architecture.ParleyArchitectureTest.adapters_implement_ports_in_package_private_classes;
import static io.parley.architecture.ParleyArchitectureTest.application_depends_only_on_the_domain;
import static io.parley.architecture.ParleyArchitectureTest.domain_application_and_engine_do_not_use_frameworks;
import static io.parley.architecture.ParleyArchitectureTest.domain_depends_only_on_the_jdk;
import static io.parley.architecture.ParleyArchitectureTest.engine_depends_only_on_the_use_cases_and_the_domain;
import static io.parley.architecture.ParleyArchitectureTest.inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine;
import static io.parley.architecture.ParleyArchitectureTest.main_code_does_not_depend_on_the_testkit;
import static io.parley.architecture.ParleyArchitectureTest.no_cycles_between_any_two_packages;
import static io.parley.architecture.ParleyArchitectureTest.no_cycles_between_packages;
import static io.parley.architecture.ParleyArchitectureTest.only_bootstrap_wires_adapters;
import static io.parley.architecture.ParleyArchitectureTest.time_comes_from_an_injected_clock;
import static io.parley.architecture.ParleyArchitectureTest.wire_codec_depends_only_on_the_core_and_jackson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that every rule of {@link ParleyArchitectureTest} can fail, by running it against fixture classes that
 * break it on purpose (the {@code io.parley.*.archfixture} packages of this module's test sources), and that
 * the rules leave the allowed cases alone.
 *
 * <p>The fixtures are imported here explicitly; the production check never sees them because they are test
 * classes. Violations are read from {@link EvaluationResult} rather than from a thrown {@link AssertionError},
 * which an empty {@code that()} would also throw.
 */
class RulesCatchViolationsTest {

    private static final List<String> FIXTURE_PACKAGES = List.of(
            "io.parley.domain.archfixture", "io.parley.application.archfixture", "io.parley.engine.archfixture",
            "io.parley.wire.archfixture",
            "io.parley.bootstrap.archfixture", "io.parley.testkit.archfixture",
            "io.parley.adapters.ws.archfixture", "io.parley.adapters.rest.archfixture",
            "io.parley.adapters.ssepolling.archfixture",
            "io.parley.adapters.auth.archfixture");

    // Classes outside the import stay name-only stubs (see archunit.properties) and implement(..) does not
    // recognise a stub port, so the port a fixture implements is imported alongside.
    private static final JavaClasses FIXTURES = new ClassFileImporter().importLocations(Stream.concat(
                    FIXTURE_PACKAGES.stream().flatMap(name -> Locations.ofPackage(name).stream()),
                    Locations.ofClass(TokenVerifier.class).stream())
            .collect(Collectors.toSet()));

    @Test
    void domain_code_reaching_into_the_application_breaks_domain_depends_only_on_the_jdk() {
        assertBreaks(domain_depends_only_on_the_jdk, "DomainReachingIntoApplication");
    }

    @Test
    void domain_code_using_jdbc_breaks_the_framework_rule_though_java_sql_is_in_the_jdk() {
        assertKeeps(domain_depends_only_on_the_jdk, "DomainUsingJdbc");
        assertBreaks(domain_application_and_engine_do_not_use_frameworks, "DomainUsingJdbc");
    }

    @Test
    void application_code_using_jackson_breaks_domain_application_and_engine_do_not_use_frameworks() {
        assertBreaks(domain_application_and_engine_do_not_use_frameworks, "ApplicationUsingJackson");
    }

    @Test
    void application_code_reaching_into_the_wire_codec_breaks_application_depends_only_on_the_domain() {
        assertBreaks(application_depends_only_on_the_domain, "ApplicationReachingIntoWire");
    }

    @Test
    void application_code_answering_with_a_protocol_event_breaks_application_depends_only_on_the_domain() {
        assertBreaks(application_depends_only_on_the_domain, "ApplicationReachingIntoTheEngine");
    }

    @Test
    void an_engine_building_its_own_codec_breaks_engine_depends_only_on_the_use_cases_and_the_domain() {
        assertBreaks(engine_depends_only_on_the_use_cases_and_the_domain, "EngineWritingJson");
    }

    @Test
    void an_engine_holding_a_helidon_socket_breaks_the_framework_rule() {
        assertBreaks(domain_application_and_engine_do_not_use_frameworks, "EngineOnHelidon");
    }

    @Test
    void a_live_transport_reading_the_log_breaks_the_rule_and_one_using_the_engine_keeps_it() {
        assertBreaks(inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine, "WsReadingTheLog");
        assertBreaks(inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine,
                "SseListeningToTheFanout");
        assertKeeps(inbound_transports_reach_the_store_and_the_fanout_only_through_the_engine, "RestUsingTheHub");
    }

    @Test
    void a_wire_codec_reaching_into_an_adapter_breaks_the_wire_rule_and_only_bootstrap_wires_adapters() {
        assertBreaks(wire_codec_depends_only_on_the_core_and_jackson, "WireReachingIntoAnAdapter");
        assertBreaks(only_bootstrap_wires_adapters, "WireReachingIntoAnAdapter");
    }

    @Test
    void bootstrap_may_wire_adapters() {
        assertKeeps(only_bootstrap_wires_adapters, "BootstrapReadingTheSystemClock", "ApplicationUsingJackson");
    }

    @Test
    void one_adapter_calling_another_breaks_adapters_do_not_depend_on_each_other() {
        assertBreaks(adapters_do_not_depend_on_each_other, "WsReachingIntoRest", "RestEntryPoint");
    }

    @Test
    void main_code_using_the_testkit_breaks_main_code_does_not_depend_on_the_testkit() {
        assertBreaks(main_code_does_not_depend_on_the_testkit, "ApplicationUsingTheTestkit", "TestSupport");
    }

    @Test
    void every_read_of_the_system_clock_outside_bootstrap_breaks_time_comes_from_an_injected_clock() {
        EvaluationResult result = time_comes_from_an_injected_clock.evaluate(
                fixtures("ApplicationReadingTheSystemClock"));
        String report = String.join("\n", result.getFailureReport().getDetails());

        assertEquals(7, result.getFailureReport().getDetails().size(), report);
        for (String read : List.of("<java.time.Instant.now()>", "<java.lang.System.currentTimeMillis()>",
                "<java.time.LocalDateTime.now()>", "<java.time.ZonedDateTime.now(java.time.ZoneId)>",
                "<java.time.OffsetDateTime.now()>", "<java.util.Date.<init>()>", "instantNowReference")) {
            assertTrue(report.contains(read), () -> "no violation for " + read + " in:\n" + report);
        }
    }

    @Test
    void an_injected_clock_and_clock_system_utc_keep_time_comes_from_an_injected_clock() {
        assertKeeps(time_comes_from_an_injected_clock, "ApplicationTakingAnInjectedClock");
    }

    @Test
    void bootstrap_may_read_the_system_clock() {
        assertKeeps(time_comes_from_an_injected_clock,
                "BootstrapReadingTheSystemClock", "ApplicationTakingAnInjectedClock");
    }

    @Test
    void a_public_open_adapter_class_breaks_adapters_are_package_private_except_their_entry_points() {
        assertBreaks(adapters_are_package_private_except_their_entry_points, "OpenRestHandler", "RestEntryPoint");
    }

    @Test
    void a_public_final_factory_keeps_adapters_are_package_private_except_their_entry_points() {
        assertKeeps(adapters_are_package_private_except_their_entry_points, "RestEntryPoint", "PublicTokenVerifier");
    }

    @Test
    void a_public_port_implementation_breaks_adapters_implement_ports_in_package_private_classes() {
        assertBreaks(adapters_implement_ports_in_package_private_classes, "PublicTokenVerifier");
    }

    @Test
    void a_cycle_between_domain_and_application_breaks_both_cycle_rules() {
        assertBreaks(no_cycles_between_packages, "CycleHalfInDomain", "CycleHalfInApplication");
        assertBreaks(no_cycles_between_any_two_packages, "CycleHalfInDomain", "CycleHalfInApplication");
    }

    @Test
    void the_production_import_covers_every_module_and_leaves_the_fixtures_out() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("io.parley");

        for (String module : List.of("io.parley.domain.RoomId", "io.parley.application.ChatCore", "io.parley.engine.SessionHub",
                "io.parley.wire.ProtocolCodec", "io.parley.adapters.auth.JwtAuth",
                "io.parley.adapters.persistence.memory.InMemoryStore",
                "io.parley.adapters.pubsub.memory.InMemoryFanout", "io.parley.adapters.ws.WebSocketTransport",
                "io.parley.adapters.rest.RestApi", "io.parley.bootstrap.Main",
                "io.parley.testkit.FanoutContract")) {
            assertTrue(production.contain(module), () -> "the production import misses " + module);
        }
        assertFalse(production.stream().anyMatch(type -> type.getPackageName().contains(".archfixture")),
                "the production import holds fixture classes");
    }

    private static void assertBreaks(ArchRule rule, String violator, String... companions) {
        EvaluationResult result = rule.evaluate(fixtures(violator, companions));
        String report = String.join("\n", result.getFailureReport().getDetails());

        assertTrue(result.hasViolation(), () -> "'" + rule.getDescription() + "' accepted " + violator);
        assertTrue(report.contains(violator), () -> "the report does not name " + violator + ":\n" + report);
    }

    private static void assertKeeps(ArchRule rule, String fixture, String... companions) {
        EvaluationResult result = rule.evaluate(fixtures(fixture, companions));

        assertFalse(result.hasViolation(),
                () -> String.join("\n", result.getFailureReport().getDetails()));
    }

    private static JavaClasses fixtures(String first, String... more) {
        Set<String> names = new HashSet<>(List.of(more));
        names.add(first);
        JavaClasses selected = FIXTURES.that(DescribedPredicate.describe("named " + names,
                (JavaClass type) -> names.contains(type.getSimpleName())));
        assertEquals(names.size(), selected.size(), () -> "missing fixtures among " + names);
        return selected;
    }
}
