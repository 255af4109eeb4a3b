package io.parley.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** The figures of one run, as the Markdown tables of {@code docs/benchmarks.md}. */
final class Report {
    static final String BEGIN = "<!-- bench:begin: written by bin/bench --write; edit outside these markers -->";
    static final String END = "<!-- bench:end -->";

    private final Scenarios.Settings settings;
    private final Map<String, Map<String, Scenarios.Window>> windows = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Scenarios.Window>>> spreads = new LinkedHashMap<>();
    private final Map<String, Scenarios.Ramp> ramps = new LinkedHashMap<>();
    private final Map<String, Scenarios.Connections> connections = new LinkedHashMap<>();
    private final StringBuilder header = new StringBuilder();
    private int turns;

    Report(Scenarios.Settings settings) {
        this.settings = settings;
    }

    /**
     * Adds how long the run took, in all and per scenario, to the header: a full run is meant to take under
     * 20 minutes (benchmarks/README.md).
     *
     * @param total       from the first scenario's start to the last one's end
     * @param perScenario each scenario's time, in the order they ran
     */
    void took(Duration total, Map<String, Duration> perScenario) {
        StringBuilder each = new StringBuilder();
        perScenario.forEach((scenario, time) -> each.append(each.isEmpty() ? "" : ", ").append(scenario)
                .append(' ').append(minutesAndSeconds(time)));
        header.append("- **The run took** ").append(minutesAndSeconds(total)).append(" (").append(each).append(")\n");
    }

    static String minutesAndSeconds(Duration time) {
        long seconds = Math.round(time.toMillis() / 1000.0);
        return seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    void header(List<String> flags, String serverCpus, String generatorCpus, Path root) {
        header.append("- **Date** ").append(LocalDate.now(ZoneOffset.UTC))
                .append("; **machine** ").append(cores())
                .append("; **JDK** ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append("; **commit** `").append(commit(root)).append("`\n")
                .append("- **JVM flags** (both servers: the launcher's defaults, `bin/parley flags`): `")
                .append(String.join(" ", flags)).append("`\n")
                .append("- **Pinning**: servers on CPU ").append(serverCpus).append(", load generator on CPU ")
                .append(generatorCpus).append("; warm-up ").append(settings.warmupSeconds()).append(" s")
                .append(settings.warmupMaxSeconds() > settings.warmupSeconds()
                        ? " and on, in steps of " + Scenarios.SETTLE_STEP_SECONDS + " s, until the server's JIT compilers"
                        + " used at most " + f("%.0f", Scenarios.COMPILERS_SETTLED * 100) + " % of its CPU in a step (at most "
                        + settings.warmupMaxSeconds() + " s)" : "")
                .append(", then ").append(settings.measureSeconds()).append(" s measured per row; a fresh server per scenario")
                .append(turns > 0 ? "; fan-out, command-path and fallback rows measured in turns (both servers up, "
                        + turns + " windows of " + f("%.1f", (double) settings.measureSeconds() / turns)
                        + " s each, A B B A …, each after a pause of " + Scenarios.SETTLE_MILLIS / 1000
                        + " s, added up per server)" : "").append('\n');
    }

    /** @param turns how many windows each server of an in-turns row is measured in; 0 when one after the other */
    void measuredInTurns(int turns) {
        this.turns = turns;
    }

    void window(String row, String server, Scenarios.Window w) {
        windows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(server, w);
    }

    /** @return the rows (and servers) whose window lost, repeated or refused a delivery; ramp steps aside */
    List<String> failures() {
        List<String> failed = new java.util.ArrayList<>();
        windows.forEach((row, cells) -> cells.forEach((server, w) -> {
            if (!w.clean() && !generatorRowShortfall(row, w)) {
                failed.add(row + " on " + server + ": " + w.verdict());
            }
        }));
        return failed;
    }

    /**
     * @return the rows that measured the load generator's ceiling and found 150k deliveries/s beyond what this
     *         machine's generator or baseline can carry: deliveries still unread after the drain, nothing
     *         repeated, refused or closed. The run says so, with both sides' CPU, instead of failing. The row
     *         runs only the baseline, which is not the server under test and keeps no backlog it could lose:
     *         what it has not delivered when the drain ends is behind, not dropped. Parley's own losses are
     *         judged in every other row, and a lossy server is caught there ({@code BaselineServer
     *         --drop-every}).
     */
    List<String> generatorLimits() {
        List<String> limits = new java.util.ArrayList<>();
        windows.forEach((row, cells) -> cells.forEach((server, w) -> {
            if (!w.clean() && generatorRowShortfall(row, w)) {
                String serverShare = w.serverCpuSeconds().isPresent()
                        ? f(", the server at %.0f %%", 100 * w.serverCpuSeconds().getAsDouble() / w.seconds()) : "";
                limits.add(row + ": did not keep up on this machine (the load generator at "
                        + f("%.0f %%", w.generatorShare() * 100) + " of its core" + serverShare
                        + ", both over the window and its drain; " + w.lost() + " deliveries still unread after it)");
            }
        }));
        return limits;
    }

    private static boolean generatorRowShortfall(String row, Scenarios.Window w) {
        return row.equals(Bench.GENERATOR_ROW) && w.duplicates() == 0 && w.errors() == 0 && w.closed() == 0;
    }

    /** Keeps every repeat of a row, to show their range next to the median. */
    void spread(String row, String server, List<Scenarios.Window> runs) {
        spreads.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(server, List.copyOf(runs));
    }

    /**
     * @return the repeat with the median deliveries per CPU-s; a repeat that lost, repeated or refused a
     *         delivery is returned instead, so a failure is never hidden by the others
     */
    static Scenarios.Window median(List<Scenarios.Window> runs) {
        for (Scenarios.Window w : runs) {
            if (!w.clean()) {
                return w;
            }
        }
        List<Scenarios.Window> sorted = new java.util.ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(w -> w.deliveriesPerCpuSecond().orElse(w.latency().p99())));
        return sorted.get(sorted.size() / 2);
    }

    void ramp(String server, Scenarios.Ramp ramp) {
        ramps.put(server, ramp);
    }

    void connections(String server, Scenarios.Connections c) {
        connections.put(server, c);
    }

    String markdown(List<String> servers) {
        StringBuilder md = new StringBuilder();
        md.append(header);
        String a = servers.get(0);
        String b = servers.size() > 1 ? servers.get(1) : null;
        if (!windows.isEmpty()) {
            md.append("\n| scenario | server | deliveries/s offered | deliveries per server CPU-s | p50 / p90 / p99 / p99.9 / max ms | ack p99 ms | lost / dup / errors | server RSS MiB before / after / peak | JIT compilers' share of server CPU; warm-up | generator CPU | steal |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (var row : windows.entrySet()) {
                Scenarios.Window base = row.getValue().get(a);
                for (var cell : row.getValue().entrySet()) {
                    Scenarios.Window w = cell.getValue();
                    String perCpu = fmt(w.deliveriesPerCpuSecond(), "%,.0f");
                    String p99 = f("%.2f", w.latency().p99());
                    if (base != null && w != base) {
                        perCpu += " (**" + ratio(w.deliveriesPerCpuSecond(), base.deliveriesPerCpuSecond()) + "**)";
                        p99 += " (" + ratio(w.latency().p99(), base.latency().p99()) + ")";
                    }
                    Scenarios.Latency l = w.latency();
                    md.append("| ").append(row.getKey()).append(" | ").append(cell.getKey())
                            .append(" | ").append(f("%,.0f", w.offeredPerSecond()))
                            .append(" | ").append(perCpu)
                            .append(" | ").append(f("%.2f", l.p50())).append(" / ").append(f("%.2f", l.p90())).append(" / ")
                            .append(p99).append(" / ").append(f("%.1f", l.p999())).append(" / ").append(f("%.1f", l.max()))
                            .append(" | ").append(w.ackLatency().count() == 0 ? "–" : f("%.2f", w.ackLatency().p99()))
                            .append(" | ").append(w.lost()).append(" / ").append(w.duplicates()).append(" / ").append(w.errors())
                            .append(w.closed() > 0 ? ", " + w.closed() + " closed" : "")
                            .append(" | ").append(rss(w.rss()))
                            .append(" | ").append(fmt(w.compilerShare(), "%.1f %%", 100)).append("; ")
                            .append(f("%.0f s", w.warmedSeconds()))
                            .append(" | ").append(f("%.0f %%", w.generatorShare() * 100))
                            .append(w.generatorBound() ? " (limit?)" : "")
                            .append(" | ").append(f("%.1f %%", w.steal() * 100)).append(w.noisy() ? " noisy" : "")
                            .append(" |\n");
                }
            }
            md.append("\nIn brackets: the ratio to the ").append(a).append("'s figure of the same row.\n");
            if (!spreads.isEmpty()) {
                md.append("\nEach row above is the median (by deliveries per CPU-s) of ")
                        .append(spreads.values().iterator().next().values().iterator().next().size())
                        .append(" measurements on the same server; their ranges:\n\n")
                        .append("| scenario | server | deliveries per CPU-s, min – max | p99 ms, min – max |\n|---|---|---|---|\n");
                spreads.forEach((row, cells) -> cells.forEach((server, runs) -> {
                    double[] perCpu = runs.stream().mapToDouble(w -> w.deliveriesPerCpuSecond().orElse(0)).sorted().toArray();
                    double[] p99 = runs.stream().mapToDouble(w -> w.latency().p99()).sorted().toArray();
                    md.append("| ").append(row).append(" | ").append(server).append(" | ")
                            .append(f("%,.0f", perCpu[0])).append(" – ").append(f("%,.0f", perCpu[perCpu.length - 1]))
                            .append(" | ").append(f("%.2f", p99[0])).append(" – ").append(f("%.2f", p99[p99.length - 1]))
                            .append(" |\n");
                }));
            }
        }
        if (!ramps.isEmpty()) {
            md.append("\n**Ramp** (1×1000, one publisher; after the warm-up at 25k deliveries/s, doubling from 25k, then 3 bisections; ")
                    .append(settings.rampStepSeconds()).append(" s steps; holds = p99 ≤ 100 ms and nothing lost):\n\n")
                    .append("| server | sustainable deliveries/s | steps (deliveries/s: p99 ms) |\n|---|---|---|\n");
            for (var e : ramps.entrySet()) {
                StringBuilder steps = new StringBuilder();
                for (Scenarios.Window w : e.getValue().steps()) {
                    if (!steps.isEmpty()) {
                        steps.append(", ");
                    }
                    steps.append(f("%,.0f", w.offeredPerSecond())).append(": ").append(f("%.1f", w.latency().p99()))
                            .append(w.clean() ? "" : " (lost " + w.lost() + ", closed " + w.closed() + ")");
                }
                String sustained = f("%,.0f", e.getValue().sustainedPerSecond());
                if (!e.getKey().equals(a) && ramps.containsKey(a)) {
                    sustained += " (**" + ratio(e.getValue().sustainedPerSecond(), ramps.get(a).sustainedPerSecond()) + "**)";
                }
                md.append("| ").append(e.getKey()).append(" | ").append(sustained).append(" | ").append(steps).append(" |\n");
            }
        }
        if (!connections.isEmpty()) {
            md.append("\n**Connections** (10,000 WebSocket clients over 100 rooms: connect, welcome, join, subscribe, ")
                    .append("200 in flight; held 10 s; then all closed and the same users set up again):\n\n")
                    .append("| server | connects/s | server CPU µs per connect | reconnects/s | server CPU µs per reconnect ")
                    .append("| RSS KiB per connection | live heap KiB per connection | server RSS MiB before / after / peak ")
                    .append("| open at the end | generator CPU | steal |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            Scenarios.Connections base = connections.get(a);
            for (var e : connections.entrySet()) {
                Scenarios.Connections c = e.getValue();
                boolean other = base != null && c != base;
                md.append("| ").append(e.getKey())
                        .append(" | ").append(storm(c.first().perSecond(), other ? base.first().perSecond() : 0))
                        .append(" | ").append(micros(c.first().serverCpuMicros(), other ? base.first().serverCpuMicros() : OptionalDouble.empty()))
                        .append(" | ").append(storm(c.reconnect().perSecond(), other ? base.reconnect().perSecond() : 0))
                        .append(" | ").append(micros(c.reconnect().serverCpuMicros(), other ? base.reconnect().serverCpuMicros() : OptionalDouble.empty()))
                        .append(" | ").append(fmt(c.rssKibPerConnection(), "%.1f"))
                        .append(other ? " (" + diff(c.rssKibPerConnection(), base.rssKibPerConnection()) + ")" : "")
                        .append(" | ").append(fmt(c.heapKibPerConnection(), "%.1f"))
                        .append(other ? " (" + diff(c.heapKibPerConnection(), base.heapKibPerConnection()) + ")" : "")
                        .append(" | ").append(rss(c.rss()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d of %,d", c.openAtEnd(), c.clients()))
                        .append(" | ").append(share(c.first().generatorShare())).append(" / ").append(share(c.reconnect().generatorShare()))
                        .append(" | ").append(f("%.1f %%", Math.max(c.first().steal(), c.reconnect().steal()) * 100)).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String storm(double perSecond, double base) {
        return f("%,.0f", perSecond) + (base > 0 ? " (**" + ratio(perSecond, base) + "**)" : "");
    }

    private static String micros(OptionalDouble micros, OptionalDouble base) {
        return fmt(micros, "%,.0f") + (base.isPresent() && micros.isPresent() ? " (" + ratio(micros, base) + ")" : "");
    }

    private static String share(double generator) {
        return f("%.0f %%", generator * 100) + (generator > Scenarios.GENERATOR_BOUND ? " (limit?)" : "");
    }

    private static String rss(RssSampler.Rss rss) {
        return rss.known() ? f("%.0f", rss.beforeKib() / 1024.0) + " / " + f("%.0f", rss.afterKib() / 1024.0)
                + " / " + f("%.0f", rss.peakKib() / 1024.0) : "–";
    }

    private static String ratio(OptionalDouble x, OptionalDouble base) {
        return x.isPresent() && base.isPresent() ? ratio(x.getAsDouble(), base.getAsDouble()) : "–";
    }

    private static String ratio(double x, double base) {
        return base > 0 ? f("%.2f×", x / base) : "–";
    }

    private static String diff(OptionalDouble x, OptionalDouble base) {
        return x.isPresent() && base.isPresent() ? f("%+.1f", x.getAsDouble() - base.getAsDouble()) : "–";
    }

    private static String fmt(OptionalDouble v, String format) {
        return v.isPresent() ? f(format, v.getAsDouble()) : "–";
    }

    private static String fmt(OptionalDouble v, String format, double scale) {
        return v.isPresent() ? f(format, v.getAsDouble() * scale) : "–";
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    /** Puts {@code tables} between the markers of {@code doc}, or appends a section with them. */
    static String replaceSection(String doc, String tables) {
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        String block = BEGIN + "\n" + tables + END;
        if (begin < 0 || end < begin) {
            return doc + "\n" + block + "\n";
        }
        return doc.substring(0, begin) + block + doc.substring(end + END.length());
    }

    private static String cores() {
        String model = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // keep "?"
        }
        return hostCores() + " CPUs (" + model + ")";
    }

    private static String hostCores() {
        try {
            return Long.toString(Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count());
        } catch (IOException e) {
            return "?";
        }
    }

    private static String commit(Path root) {
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "describe", "--always", "--dirty").start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return out.isEmpty() ? "?" : out;
        } catch (IOException e) {
            return "?";
        }
    }
}
