package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static Scenarios.Window window(double cpuSeconds, long lost) {
        Scenarios.Latency l = new Scenarios.Latency(1, 1, 1, 1, 1, 1);
        return new Scenarios.Window(1000, 1000, lost, 0, 0, 0, l, l, OptionalDouble.of(cpuSeconds), 0.1, 0, 1, "",
                RssSampler.Rss.NONE, OptionalDouble.empty(), 0);
    }

    @Test
    void losses_fail_the_run_except_in_the_generator_row_where_a_shortfall_is_reported_with_both_sides_cpu() {
        Scenarios.Latency l = new Scenarios.Latency(1, 1, 1, 1, 1, 1);
        Scenarios.Window busyGenerator = new Scenarios.Window(150_000, 1000, 500, 0, 0, 0, l, l, OptionalDouble.of(1),
                0.97, 0, 1, "", RssSampler.Rss.NONE, OptionalDouble.empty(), 0);
        Report report = new Report(new Scenarios.Settings(1, 1, 1, 1));
        report.window(Bench.GENERATOR_ROW, "baseline", busyGenerator);
        assertTrue(report.failures().isEmpty(), report.failures().toString());
        assertEquals(1, report.generatorLimits().size());
        assertTrue(report.generatorLimits().getFirst().contains("generator at 97 %"), report.generatorLimits().toString());
        assertTrue(report.generatorLimits().getFirst().contains("the server at 100 %"), report.generatorLimits().toString());
        assertTrue(report.generatorLimits().getFirst().endsWith("500 deliveries still unread after it)"),
                report.generatorLimits().toString());

        report.window("1×1000, 1 publisher, 100k/s", "parley", busyGenerator);
        assertEquals(1, report.failures().size(), "a loss in any other row fails the run, whatever the generator did");

        // A baseline slower than 150k deliveries/s (the AMD machine's: 112-125k) falls behind with the
        // generator's core to spare: still a shortfall of the row, not a loss of the product.
        Scenarios.Window slowServer = new Scenarios.Window(150_000, 1000, 500, 0, 0, 0, l, l, OptionalDouble.of(1),
                0.5, 0, 1, "", RssSampler.Rss.NONE, OptionalDouble.empty(), 0);
        report.window(Bench.GENERATOR_ROW, "baseline", slowServer);
        assertEquals(1, report.failures().size(), report.failures().toString());

        Scenarios.Window duplicating = new Scenarios.Window(150_000, 1000, 0, 3, 0, 0, l, l, OptionalDouble.of(1),
                0.97, 0, 1, "", RssSampler.Rss.NONE, OptionalDouble.empty(), 0);
        report.window(Bench.GENERATOR_ROW, "baseline", duplicating);
        assertEquals(2, report.failures().size(), "a duplicate is never a shortfall");
        Scenarios.Window closing = new Scenarios.Window(150_000, 1000, 500, 0, 0, 2, l, l, OptionalDouble.of(1),
                0.97, 0, 1, "", RssSampler.Rss.NONE, OptionalDouble.empty(), 0);
        report.window(Bench.GENERATOR_ROW, "baseline", closing);
        assertEquals(2, report.failures().size(), "the row keeps one window per server: the closing one replaced it");
        assertTrue(report.failures().getFirst().contains("closed 2"), report.failures().toString());
    }

    private static Scenarios.Window step(double seconds, double serverCpu, double compilerCpu) {
        Scenarios.Latency l = new Scenarios.Latency(1, 1, 1, 1, 1, 1);
        return new Scenarios.Window(1000, 1000, 0, 0, 0, 0, l, l, OptionalDouble.of(serverCpu), 0.1, 0, seconds, "",
                RssSampler.Rss.NONE, OptionalDouble.of(compilerCpu), 0);
    }

    @Test
    void a_server_has_settled_when_its_compilers_used_at_most_two_percent_of_its_cpu_and_the_warm_up_adds_up() {
        assertTrue(step(2, 0.5, 0.01).compilersSettled(), "0.01 s of the server's 0.5 s: 2 %");
        assertFalse(step(2, 0.5, 0.02).compilersSettled(), "4 % of the server's CPU, though 1 % of a core");
        Scenarios.Latency l = new Scenarios.Latency(1, 1, 1, 1, 1, 1);
        assertFalse(new Scenarios.Window(1000, 1000, 0, 0, 0, 0, l, l, OptionalDouble.empty(), 0.1, 0, 2, "",
                RssSampler.Rss.NONE, OptionalDouble.empty(), 0).compilersSettled(), "unknown is not settled");

        Scenarios.Window warmup = step(2, 1, 0.5).after(step(10, 5, 4));
        assertEquals(10, warmup.warmedSeconds(), 1e-9);
        Scenarios.Window measured = step(10, 2, 0.1).after(warmup);
        assertEquals(12, measured.warmedSeconds(), 1e-9, "the whole warm-up before the window");
        assertEquals(0.05, measured.compilerShare().getAsDouble(), 1e-9, "the window's own compilers, not the warm-up's");

        Report report = new Report(new Scenarios.Settings(10, 10, 1, 1, 40));
        report.header(List.of("-Xmx1g"), "1", "0", java.nio.file.Path.of("."));
        report.window("1×100, 10 publishers, 50k/s", "parley", measured);
        String md = report.markdown(List.of("parley"));
        assertTrue(md.contains("| 5.0 %; 12 s |"), md);
        assertTrue(md.contains("until the server's JIT compilers used at most 2 % of its CPU in a step (at most 40 s)"), md);
    }

    @Test
    void the_median_repeat_by_deliveries_per_cpu_second_is_reported() {
        Scenarios.Window slow = window(0.04, 0);
        Scenarios.Window middle = window(0.02, 0);
        Scenarios.Window fast = window(0.01, 0);
        assertSame(middle, Report.median(List.of(fast, slow, middle)));
    }

    @Test
    void a_repeat_that_lost_deliveries_is_reported_whatever_the_others_did() {
        Scenarios.Window lossy = window(0.02, 3);
        assertSame(lossy, Report.median(List.of(window(0.01, 0), lossy, window(0.03, 0))));
    }

    @Test
    void the_header_says_how_long_the_run_and_each_scenario_took() {
        Report report = new Report(new Scenarios.Settings(1, 1, 1, 1));
        java.util.Map<String, java.time.Duration> each = new java.util.LinkedHashMap<>();
        each.put("fanout-100", java.time.Duration.ofMillis(95_400));
        each.put("generator", java.time.Duration.ofSeconds(41));
        report.took(java.time.Duration.ofSeconds(19 * 60 + 37), each);

        String md = report.markdown(List.of("baseline", "parley"));
        assertTrue(md.contains("- **The run took** 19 min 37 s (fanout-100 1 min 35 s, generator 41 s)\n"), md);
    }

    @Test
    void the_tables_go_between_the_markers_and_nothing_else_changes() {
        String doc = "# B\n\nbefore\n" + Report.BEGIN + "\nold tables\n" + Report.END + "\nafter\n";
        String out = Report.replaceSection(doc, "new tables\n");
        assertEquals("# B\n\nbefore\n" + Report.BEGIN + "\nnew tables\n" + Report.END + "\nafter\n", out);
        assertTrue(Report.replaceSection("# B\n", "t\n").endsWith(Report.BEGIN + "\nt\n" + Report.END + "\n"));
    }
}
