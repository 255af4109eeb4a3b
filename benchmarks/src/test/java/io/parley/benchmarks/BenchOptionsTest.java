package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line refuses what it does not know, so a typo does not start a 15-minute run of everything. */
class BenchOptionsTest {

    @Test
    void options_take_values_and_write_is_a_flag() {
        Map<String, String> opts = Bench.options(new String[] {"--scenarios", "commands", "--write", "--measure", "5"});
        assertEquals(Map.of("scenarios", "commands", "write", "true", "measure", "5"), opts);
        assertEquals(Map.of("sequential", "true", "turns", "6"),
                Bench.options(new String[] {"--sequential", "--turns", "6"}), "sequential is a flag too");
    }

    @Test
    void the_steady_load_rows_are_defined_once_for_both_ways_of_measuring() {
        assertEquals(java.util.List.of("1×100, 10 publishers, 50k/s", "1×100, 10 publishers, 100k/s"),
                Bench.rows("fanout-100").stream().map(Bench.Row::name).toList());
        assertEquals(java.util.List.of(WireLoop.Kind.values()),
                Bench.rows("fallbacks").stream().map(Bench.Row::kind).toList());
        assertEquals(Bench.rows("commands"), Bench.rows("commands-jdbc"));
        assertEquals(150_000, Bench.rows("generator").getFirst().deliveriesPerSecond());
        assertThrows(IllegalArgumentException.class, () -> Bench.rows("ramp"));
    }

    @Test
    void a_pair_names_two_known_servers() {
        assertEquals(java.util.List.of("parley", "parley"), Bench.pair("parley,parley"));
        assertThrows(IllegalArgumentException.class, () -> Bench.pair("parley"));
        assertThrows(IllegalArgumentException.class, () -> Bench.pair("parley,node"));
    }

    @Test
    void a_second_root_starts_the_second_parley_from_another_built_checkout_and_only_in_a_parley_pair(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        ServerProcess.Launch launch = new ServerProcess.Launch(java.nio.file.Path.of("/here"), "1",
                java.util.List.of("-Xmx1g"), "s", java.nio.file.Path.of("/here/logs"));
        java.util.List<String> parleys = java.util.List.of("parley", "parley");
        assertEquals(launch, Bench.secondLaunch(Map.of(), parleys, launch), "without it both start from one root");

        Map<String, String> opts = Map.of("second-root", dir.toString());
        IllegalArgumentException unbuilt = assertThrows(IllegalArgumentException.class,
                () -> Bench.secondLaunch(opts, parleys, launch));
        assertTrue(unbuilt.getMessage().contains("no built server"), unbuilt.getMessage());

        java.nio.file.Files.createDirectories(dir.resolve("bootstrap/target"));
        java.nio.file.Files.writeString(dir.resolve("bootstrap/target/parley.jar"), "");
        ServerProcess.Launch second = Bench.secondLaunch(opts, parleys, launch);
        assertEquals(dir.toAbsolutePath().normalize(), second.root());
        assertEquals(launch.jvmFlags(), second.jvmFlags(), "the same flags, CPUs, secret and logs");
        assertEquals(launch.logs(), second.logs());
        assertThrows(IllegalArgumentException.class,
                () -> Bench.secondLaunch(opts, java.util.List.of("baseline", "parley"), launch));
    }

    @Test
    void an_unknown_option_or_a_missing_value_is_refused_by_name() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> Bench.options(new String[] {"--scenario", "commands"}));
        assertTrue(typo.getMessage().contains("--scenario"), typo.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Bench.options(new String[] {"--measure"}));
        assertTrue(missing.getMessage().contains("--measure needs a value"), missing.getMessage());
    }
}
