package io.parley.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    private static Scenarios.Window window(double cpuSeconds, long lost) {
        Scenarios.Latency l = new Scenarios.Latency(1, 1, 1, 1, 1, 1);
        return new Scenarios.Window(1000, 1000, lost, 0, 0, 0, l, l, OptionalDouble.of(cpuSeconds), 0.1, 0, 1, "",
                RssSampler.Rss.NONE);
    }

    @Test
    void losses_fail_the_run_except_where_the_generator_row_found_the_generators_own_ceiling() {
        Scenarios.Latency l = new Scenarios.Latency(1, 1, 1, 1, 1, 1);
        Scenarios.Window busyGenerator = new Scenarios.Window(150_000, 1000, 500, 0, 0, 0, l, l, OptionalDouble.of(1),
                0.97, 0, 1, "", RssSampler.Rss.NONE);
        Report report = new Report(new Scenarios.Settings(1, 1, 1, 1));
        report.window(Bench.GENERATOR_ROW, "baseline", busyGenerator);
        assertTrue(report.failures().isEmpty(), report.failures().toString());
        assertEquals(1, report.generatorLimits().size());

        report.window("1×1000, 1 publisher, 100k/s", "parley", busyGenerator);
        assertEquals(1, report.failures().size(), "a loss in any other row fails the run, whatever the generator did");
        Scenarios.Window quietGenerator = new Scenarios.Window(150_000, 1000, 500, 0, 0, 0, l, l, OptionalDouble.of(1),
                0.5, 0, 1, "", RssSampler.Rss.NONE);
        report.window(Bench.GENERATOR_ROW, "baseline", quietGenerator);
        assertEquals(2, report.failures().size(), "with its core to spare the generator row's loss is the server's");
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
    void the_tables_go_between_the_markers_and_nothing_else_changes() {
        String doc = "# B\n\nbefore\n" + Report.BEGIN + "\nold tables\n" + Report.END + "\nafter\n";
        String out = Report.replaceSection(doc, "new tables\n");
        assertEquals("# B\n\nbefore\n" + Report.BEGIN + "\nnew tables\n" + Report.END + "\nafter\n", out);
        assertTrue(Report.replaceSection("# B\n", "t\n").endsWith(Report.BEGIN + "\nt\n" + Report.END + "\n"));
    }
}
