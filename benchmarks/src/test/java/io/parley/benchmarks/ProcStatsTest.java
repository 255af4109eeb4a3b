package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatsTest {
    @Test
    void the_jit_compiler_threads_are_found_by_their_names_and_their_time_is_part_of_the_process() throws Exception {
        assertTrue(ProcStats.isCompilerThread("812 (C2 CompilerThre) S 1 1 0 0 -1 4194624 0 0 0 0 350 12 0 0"));
        assertTrue(ProcStats.isCompilerThread("813 (C1 CompilerThre) S 1 1 0 0 -1 4194624 0 0 0 0 35 1 0 0"));
        assertFalse(ProcStats.isCompilerThread("814 (ForkJoinPool-1-) S 1 1 0 0 -1 4194624 0 0 0 0 9 1 0 0"));
        assertFalse(ProcStats.isCompilerThread("815 (java) S 1 1 0 0 -1 4194624 0 0 0 0 9 1 0 0"));

        long self = ProcessHandle.current().pid();
        long found;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc", Long.toString(self), "task"))) {
            found = tasks.map(ProcStatsTest::statOfLiveThread).flatMap(Optional::stream)
                    .filter(ProcStats::isCompilerThread).count();
        }
        assertTrue(found > 0, "this JVM runs with its JIT compilers");
        long compilers = ProcStats.compilerTicks(self);
        assertTrue(compilers >= 0 && compilers <= ProcStats.cpuTicks(self), compilers + " ticks");
    }

    /** A thread of this JVM may end between the listing of its tasks and the read of its stat. */
    private static Optional<String> statOfLiveThread(java.nio.file.Path task) {
        try {
            return Optional.of(java.nio.file.Files.readString(task.resolve("stat")));
        } catch (java.io.IOException ended) {
            return Optional.empty();
        }
    }

    @Test
    void cpu_time_is_utime_plus_stime_even_when_the_command_name_has_spaces_and_parentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 1234 0 0 0 750 125 0 0 20 0 40 0 99 "
                + "4000000000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 17103 0 0 0 17 1 0 0 0 0 0";
        assertEquals(875, ProcStats.parseCpuTicks(stat));
    }

    @Test
    void resident_memory_comes_from_vmrss() {
        String status = "Name:\tjava\nVmPeak:\t 9999 kB\nVmHWM:\t  8888 kB\nVmRSS:\t  123456 kB\nThreads:\t40\n";
        assertEquals(123_456, ProcStats.parseRssKib(status));
    }

    @Test
    void steal_is_the_share_of_all_cpu_time_the_hypervisor_took() {
        ProcStats.HostCpu before = ProcStats.parseHostCpu(
                "cpu  100 0 100 700 0 0 0 100 0 0\ncpu0 50 0 50 350 0 0 0 50 0 0\nintr 1\n");
        ProcStats.HostCpu after = ProcStats.parseHostCpu(
                "cpu  200 0 200 1400 0 0 0 200 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n");
        assertEquals(1000, before.totalTicks());
        assertEquals(100, before.stealTicks());
        assertEquals(0.1, after.stealSince(before), 1e-9);
    }

    @Test
    void the_live_heap_is_the_total_of_a_class_histogram() {
        String histogram = """
                7501:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         12000        1200000  [B (java.base@25)
                   2:          3000          72000  java.lang.String (java.base@25)
                Total         15000        1272000
                """;
        assertEquals(Optional.of(1_272_000L), ProcStats.parseHistogramTotal(histogram));
        assertEquals(Optional.empty(), ProcStats.parseHistogramTotal("7501:\nUnable to open socket file"));
    }

    @Test
    void instances_are_counted_by_class_for_the_classes_asked_for() {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:       3502848      112091136  java.util.HashMap$Node (java.base@25.0.3)
                  12:         10002        1360272  io.parley.engine.ChatSession
                  15:         43874        1052976  io.parley.adapters.pubsub.memory.LocalPresenceRegistry$UserSessions
                Total       3556724      114504384
                """;
        assertEquals(java.util.Map.of("io.parley.engine.ChatSession", 10_002L,
                        "io.parley.adapters.pubsub.memory.LocalPresenceRegistry$UserSessions", 43_874L),
                ProcStats.parseInstances(histogram, "io.parley."));
        assertEquals(java.util.Map.of(), ProcStats.parseInstances("7501:\nUnable to open socket file", "io.parley."));
    }

    @Test
    void this_process_can_be_read_from_proc() {
        long pid = ProcessHandle.current().pid();
        assertTrue(ProcStats.rssKib(pid) > 1000);
        assertTrue(ProcStats.cpuTicks(pid) > 0);
        assertTrue(ProcStats.hostCpu().totalTicks() > 0);
    }
}
