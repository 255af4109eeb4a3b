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
