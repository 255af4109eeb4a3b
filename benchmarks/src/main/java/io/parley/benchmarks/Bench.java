package io.parley.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The benchmark's command line. Without {@code --url} it runs each scenario against a fresh baseline and a
 * fresh {@code bin/parley serve}, pinned to the server CPUs: the steady-load scenarios ({@link #IN_TURNS})
 * with both servers up and measured in turns, the others one server after the other; it prints (and with
 * {@code --write} rewrites in {@code docs/benchmarks.md}) the figures side by side. With {@code --url} it runs
 * the scenarios against a server already running elsewhere.
 *
 * <pre>
 * bin/bench [--scenarios fanout-100,fanout-1000,commands,ramp,connections,fallbacks,commands-jdbc,generator,soak]
 *           [--write] [--warmup S] [--warmup-max S] [--measure S] [--server-cpus 1] [--jvm-flags "..."]
 *           [--url http://host:port --secret S [--pid N]]
 * </pre>
 */
public final class Bench {
    static final List<String> ALL = List.of("fanout-100", "fanout-1000", "commands", "ramp", "connections",
            "fallbacks", "commands-jdbc", "generator");
    /** The row of the {@code generator} scenario. */
    static final String GENERATOR_ROW = "1×1000, 1 publisher, 150k/s (the load generator's ceiling)";
    /** Scenarios measured against the baseline only: their figure is the load generator's own ceiling. */
    private static final List<String> BASELINE_ONLY = List.of("generator");
    /**
     * Scenarios whose rows are measured in turns ({@link Scenarios#fanoutInTurns}) with both servers running,
     * unless {@code --sequential}: their figures are rates of a steady load, which a turn of a few seconds
     * measures as well as one long window, and whose ratio the machine's drift would otherwise blur.
     */
    static final List<String> IN_TURNS = List.of("fanout-100", "fanout-1000", "commands", "fallbacks");

    /**
     * The longest a steady-load row warms up while a server's JIT compilers are still busy, by default: on
     * one core a fresh Parley compiles for 20–30 s under load ({@link Scenarios#warmUp}).
     */
    static final int WARMUP_MAX = 40;

    static final String USAGE = """
            usage: bin/bench [--scenarios a,b,...] [--write] [--sequential] [--turns N] [--pair baseline,parley]
                             [--pair parley,parley --second-root DIR]
                             [--warmup S] [--warmup-max S] [--measure S] [--repeat N] [--late-ms N]
                             [--server-cpus 1] [--jvm-flags "..."] [--url http://host:port --secret S [--pid N]]
            scenarios: fanout-100, fanout-1000, commands, ramp, connections, fallbacks, commands-jdbc, generator
            (every one when --scenarios is absent; benchmarks/README.md explains each), and soak
            (only when named: --soak-minutes 10 --soak-connections 10000 --soak-churn 100 --soak-settle 130
            --soak-store jdbc|memory)""";

    private static final List<String> OPTIONS = List.of("scenarios", "write", "sequential", "turns", "pair", "second-root", "warmup", "warmup-max",
            "measure", "repeat",
            "drain-ms", "late-ms", "ramp-step", "server-cpus", "jvm-flags", "url", "secret", "pid", "name", "root", "pg-url",
            "pg-user", "pg-password", "soak-minutes", "soak-connections", "soak-churn", "soak-store", "soak-settle");

    private Bench() {
    }

    /**
     * @param args see the class comment
     */
    public static void main(String[] args) throws IOException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        try {
            run(options(args));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    private static void run(Map<String, String> opts) throws IOException {
        Path root = Path.of(opts.getOrDefault("root", ".")).toAbsolutePath().normalize();
        List<String> scenarios = opts.containsKey("scenarios")
                ? Arrays.asList(opts.get("scenarios").split(",")) : ALL;
        for (String s : scenarios) {
            if (!ALL.contains(s) && !s.equals("soak")) {
                throw new IllegalArgumentException("unknown scenario " + s + "; known: " + ALL + " and soak");
            }
        }
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
        Scenarios.Settings settings = new Scenarios.Settings(warmup,
                Integer.parseInt(opts.getOrDefault("measure", "10")),
                Long.parseLong(opts.getOrDefault("drain-ms", "5000")),
                Integer.parseInt(opts.getOrDefault("ramp-step", "10")),
                Math.max(warmup, Integer.parseInt(opts.getOrDefault("warmup-max", Integer.toString(WARMUP_MAX)))));
        Scenarios run = new Scenarios(settings);
        repeat = Integer.parseInt(opts.getOrDefault("repeat", "1"));
        ChatLoad.lateMillis = Long.parseLong(opts.getOrDefault("late-ms", "0"));
        Report report = new Report(settings);
        String secret = opts.getOrDefault("secret", "bench-secret-bench-secret-bench-secret-0123");

        if (opts.containsKey("url")) {
            java.net.URI uri = java.net.URI.create(opts.get("url"));
            OptionalLong pid = opts.containsKey("pid") ? OptionalLong.of(Long.parseLong(opts.get("pid"))) : OptionalLong.empty();
            Target target = new Target(opts.getOrDefault("name", "target"), uri.getHost(), uri.getPort(), secret, pid);
            for (String scenario : scenarios) {
                if (scenario.equals("soak")) {
                    soak(run, target, opts);
                } else {
                    runOne(run, report, scenario, target);
                }
            }
            System.out.println(report.markdown(List.of(target.name())));
            if (!report.failures().isEmpty()) {
                System.out.println("FAILED: deliveries were lost, duplicated or refused in " + report.failures());
                System.exit(1);
            }
            return;
        }

        List<String> extra = opts.containsKey("jvm-flags") ? Arrays.asList(opts.get("jvm-flags").trim().split("\\s+")) : List.of();
        List<String> flags = new ArrayList<>(launcherFlags(root));
        flags.addAll(extra);
        ServerProcess.Launch launch = new ServerProcess.Launch(root, opts.getOrDefault("server-cpus", "1"), flags,
                secret, root.resolve("benchmarks/target/bench-logs"));
        Map<String, String> parleyEnv = new LinkedHashMap<>();
        if (!extra.isEmpty()) {
            parleyEnv.put("PARLEY_JAVA_OPTS", String.join(" ", extra));
        }
        boolean inTurns = !opts.containsKey("sequential");
        int turns = Integer.parseInt(opts.getOrDefault("turns", "4"));
        if (turns < 1) {
            throw new IllegalArgumentException("--turns must be at least 1");
        }
        report.measuredInTurns(inTurns ? turns : 0);
        List<String> pair = pair(opts.getOrDefault("pair", "baseline,parley"));
        if (!pair.equals(List.of("baseline", "parley"))
                && (!inTurns || !IN_TURNS.containsAll(scenarios) || opts.containsKey("write"))) {
            throw new IllegalArgumentException("--pair is for the scenarios measured in turns, " + IN_TURNS
                    + ", and does not --write");
        }
        List<String> names = pair.get(0).equals(pair.get(1)) ? List.of(pair.get(0), pair.get(1) + "-b") : pair;
        ServerProcess.Launch secondLaunch = secondLaunch(opts, pair, launch);
        report.header(flags, launch.serverCpus(), ProcStats.allowedCpus(ProcessHandle.current().pid()), root);
        long runStart = System.nanoTime();
        Map<String, Duration> took = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            long scenarioStart = System.nanoTime();
            try {
                runScenario(scenario, opts, launch, secondLaunch, pair, names, parleyEnv, inTurns, turns, run, report);
            } finally {
                Duration time = Duration.ofNanos(System.nanoTime() - scenarioStart);
                took.put(scenario, time);
                System.out.println("   " + scenario + " took " + Report.minutesAndSeconds(time));
            }
        }
        Duration total = Duration.ofNanos(System.nanoTime() - runStart);
        report.took(total, took);
        System.out.println("the run took " + Report.minutesAndSeconds(total));
        String markdown = report.markdown(names);
        System.out.println(markdown);
        Path out = root.resolve("benchmarks/target/bench-" + System.currentTimeMillis() + ".md");
        Files.writeString(out, markdown);
        System.out.println("written to " + out);
        if (opts.containsKey("write")) {
            Path doc = root.resolve("docs/benchmarks.md");
            Files.writeString(doc, Report.replaceSection(Files.readString(doc), markdown));
            System.out.println("rewrote the tables of " + doc);
        }
        report.generatorLimits().forEach(limit -> System.out.println("NOTE: " + limit));
        if (!report.failures().isEmpty()) {
            System.out.println("FAILED: deliveries were lost, duplicated or refused in:");
            report.failures().forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
    }

    /** One scenario of a run: in turns on both servers, or on a fresh baseline and then a fresh Parley. */
    private static void runScenario(String scenario, Map<String, String> opts, ServerProcess.Launch launch,
                                    ServerProcess.Launch secondLaunch, List<String> pair, List<String> names,
                                    Map<String, String> parleyEnv, boolean inTurns, int turns, Scenarios run,
                                    Report report) {
        if (inTurns && IN_TURNS.contains(scenario)) {
            try (ServerProcess first = server(launch, pair.get(0), names.get(0), scenario, parleyEnv);
                 ServerProcess second = server(secondLaunch, pair.get(1), names.get(1), scenario, parleyEnv)) {
                runInTurns(run, report, scenario, first.target(), second.target(), turns);
            }
            return;
        }
        if (!scenario.equals("commands-jdbc") && !scenario.equals("soak")) {
            try (ServerProcess baseline = ServerProcess.baseline(launch, scenario + "-baseline", 0)) {
                runOne(run, report, scenario, baseline.target());
            }
        }
        if (scenario.equals("soak")) {
            boolean memory = opts.getOrDefault("soak-store", "jdbc").equals("memory");
            withStore(opts, parleyEnv, memory, env -> {
                try (ServerProcess parley = ServerProcess.parley(launch, "parley", "soak-parley", env)) {
                    soak(run, parley.target(), opts);
                }
            });
        } else if (scenario.equals("commands-jdbc")) {
            withStore(opts, parleyEnv, false, env -> {
                try (ServerProcess parley = ServerProcess.parley(launch, "parley-jdbc", scenario + "-parley", env)) {
                    runOne(run, report, scenario, parley.target());
                }
            });
        } else if (!BASELINE_ONLY.contains(scenario)) {
            try (ServerProcess parley = ServerProcess.parley(launch, "parley", scenario + "-parley", parleyEnv)) {
                runOne(run, report, scenario, parley.target());
            }
        }
    }

    /**
     * Runs {@code body} with Parley's environment for the memory store, or for the PostgreSQL store on a fresh
     * database that is dropped afterwards.
     */
    private static void withStore(Map<String, String> opts, Map<String, String> parleyEnv, boolean memory,
                                  java.util.function.Consumer<Map<String, String>> body) {
        if (memory) {
            body.accept(parleyEnv);
            return;
        }
        String pgUrl = opts.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = opts.getOrDefault("pg-user", "postgres");
        String pgPassword = opts.getOrDefault("pg-password", "");
        String db = "parley_bench_" + System.currentTimeMillis();
        database(pgUrl, pgUser, pgPassword, "CREATE DATABASE " + db);
        Map<String, String> env = new LinkedHashMap<>(parleyEnv);
        env.put("PARLEY_STORE", "jdbc");
        env.put("PARLEY_DB_URL", pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + db);
        env.put("PARLEY_DB_USER", pgUser);
        env.put("PARLEY_DB_PASSWORD", pgPassword);
        try {
            body.accept(env);
        } finally {
            database(pgUrl, pgUser, pgPassword, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    /** The soak (not part of a full run: it takes its minutes); prints its table and fails the run on a leak. */
    private static void soak(Scenarios run, Target target, Map<String, String> opts) {
        Soak.Plan plan = new Soak.Plan(Integer.parseInt(opts.getOrDefault("soak-minutes", "10")),
                Integer.parseInt(opts.getOrDefault("soak-connections", "10000")),
                Integer.parseInt(opts.getOrDefault("soak-churn", "100")), 100, 10, 20, 1_000,
                Integer.parseInt(opts.getOrDefault("soak-settle", "130")));
        System.out.println("== soak on " + target.name());
        Soak.Outcome outcome = Soak.run(run, target, plan);
        String markdown = Soak.markdown(outcome);
        System.out.println(markdown);
        if (outcome.lost() > 0 || outcome.churnFailures() > 0 || outcome.openGauges() > 0 || !outcome.heapFlat()) {
            System.out.println("FAILED: the soak lost deliveries, saw churn failures, left connections open or its"
                    + " live heap grew");
            System.exit(1);
        }
    }

    private static void runOne(Scenarios run, Report report, String scenario, Target target) {
        System.out.println("== " + scenario + " on " + target.name());
        switch (scenario) {
            case "fanout-100", "fanout-1000", "generator", "commands", "commands-jdbc", "fallbacks" -> {
                for (Row row : rows(scenario)) {
                    record(report, row.name(), target, t -> run.fanout(t, row.kind(), row.rooms(), row.members(),
                            row.publishers(), row.deliveriesPerSecond()));
                }
            }
            case "ramp" -> {
                Scenarios.Ramp ramp = run.ramp(target, 1000, 25_000, 100, 3);
                report.ramp(target.name(), ramp);
                System.out.printf("   sustained %.0f deliveries/s%n", ramp.sustainedPerSecond());
            }
            case "connections" -> {
                Scenarios.Connections c = attempt(() -> run.connections(target, 10_000, 100, 200, 10),
                        Scenarios.Connections::noisy);
                report.connections(target.name(), c);
                System.out.printf("   %.0f connects/s (server %s µs each, generator %.0f%%), rss %.1f KiB/conn, heap %s KiB/conn,"
                                + " open %d; reconnect %.0f/s (server %s µs each, generator %.0f%%)%n",
                        c.connectsPerSecond(), micros(c.first()), c.first().generatorShare() * 100,
                        c.rssKibPerConnection().orElse(-1),
                        c.heapKibPerConnection().isPresent() ? String.format("%.1f", c.heapKibPerConnection().getAsDouble()) : "-",
                        c.openAtEnd(), c.reconnect().perSecond(), micros(c.reconnect()),
                        c.reconnect().generatorShare() * 100);
            }
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    /**
     * {@code --second-root DIR} with {@code --pair parley,parley}: the second server is {@code DIR/bin/parley
     * serve}, another checkout built there, so that two builds of Parley (a change and the commit before it)
     * are measured in turns in one run instead of minutes apart.
     */
    static ServerProcess.Launch secondLaunch(Map<String, String> opts, List<String> pair, ServerProcess.Launch launch) {
        if (!opts.containsKey("second-root")) {
            return launch;
        }
        if (!pair.equals(List.of("parley", "parley"))) {
            throw new IllegalArgumentException("--second-root compares two builds of Parley: give --pair parley,parley");
        }
        Path other = Path.of(opts.get("second-root")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(other.resolve("bootstrap/target/parley.jar"))) {
            throw new IllegalArgumentException("--second-root " + other + " has no built server (bootstrap/target/parley.jar)");
        }
        return new ServerProcess.Launch(other, launch.serverCpus(), launch.jvmFlags(), launch.secret(), launch.logs());
    }

    /**
     * {@code --pair a,b}: which servers the rows measured in turns compare, {@code baseline,parley} unless
     * the measuring itself is checked (a server against itself, {@code parley,parley}: an A/A run whose
     * ratios should be 1 within the method's noise).
     */
    static List<String> pair(String value) {
        List<String> pair = Arrays.asList(value.split(","));
        if (pair.size() != 2 || !List.of("baseline", "parley").containsAll(pair)) {
            throw new IllegalArgumentException("--pair takes two of baseline and parley, e.g. parley,parley");
        }
        return pair;
    }

    private static ServerProcess server(ServerProcess.Launch launch, String kind, String name, String scenario,
                                        Map<String, String> parleyEnv) {
        return kind.equals("baseline") ? ServerProcess.baseline(launch, name, scenario + "-" + name, 0)
                : ServerProcess.parley(launch, name, scenario + "-" + name, parleyEnv);
    }

    /**
     * One steady-load row: what {@link Scenarios#fanout} and {@link Scenarios#fanoutInTurns} are given.
     *
     * @param name the row's name in the report
     */
    record Row(String name, WireLoop.Kind kind, int rooms, int members, int publishers, int deliveriesPerSecond) {
    }

    /** @return the rows of a steady-load scenario, whichever way its servers are measured */
    static List<Row> rows(String scenario) {
        return switch (scenario) {
            case "fanout-100" -> List.of(50_000, 100_000).stream().map(rate -> new Row(
                    "1×100, 10 publishers, " + rate / 1000 + "k/s", WireLoop.Kind.WEBSOCKET, 1, 100, 10, rate)).toList();
            case "fanout-1000" -> List.of(10_000, 50_000, 100_000).stream().map(rate -> new Row(
                    "1×1000, 1 publisher, " + rate / 1000 + "k/s", WireLoop.Kind.WEBSOCKET, 1, 1000, 1, rate)).toList();
            case "generator" -> List.of(new Row(GENERATOR_ROW, WireLoop.Kind.WEBSOCKET, 1, 1000, 1, 150_000));
            case "commands", "commands-jdbc" -> List.of(new Row("100 rooms×10, 100 publishers, 1,000 msgs/s",
                    WireLoop.Kind.WEBSOCKET, 100, 10, 100, 10_000));
            case "fallbacks" -> Arrays.stream(WireLoop.Kind.values()).map(kind -> new Row(
                    "1×1000 at 10k/s over " + kind.name().toLowerCase(), kind, 1, 1000, 1, 10_000)).toList();
            default -> throw new IllegalArgumentException(scenario);
        };
    }

    /** The rows of a scenario of {@link #IN_TURNS}, both servers measured in turns. */
    private static void runInTurns(Scenarios run, Report report, String scenario, Target first, Target second,
                                   int turns) {
        System.out.println("== " + scenario + " on " + first.name() + " and " + second.name() + ", in turns");
        for (Row row : rows(scenario)) {
            recordPair(report, row.name(), first, second, () -> run.fanoutInTurns(first, second, row.kind(),
                    row.rooms(), row.members(), row.publishers(), row.deliveriesPerSecond(), turns));
        }
    }

    private static void recordPair(Report report, String row, Target first, Target second,
                                   java.util.function.Supplier<Scenarios.Pair> measure) {
        Scenarios.Pair pair = attempt(measure, p -> p.first().noisy() || p.second().noisy());
        report.window(row, first.name(), pair.first());
        report.window(row, second.name(), pair.second());
        print(row + " [" + first.name() + "]", pair.first());
        print(row + " [" + second.name() + "]", pair.second());
    }

    /** How many times each fan-out and command-path row is measured; the median is reported. */
    private static int repeat = 1;

    private static void record(Report report, String row, Target target, Function<Target, Scenarios.Window> measure) {
        List<Scenarios.Window> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            runs.add(attempt(() -> measure.apply(target), Scenarios.Window::noisy));
        }
        Scenarios.Window w = Report.median(runs);
        report.window(row, target.name(), w);
        if (runs.size() > 1) {
            report.spread(row, target.name(), runs);
        }
        print(row, w);
    }

    private static void print(String row, Scenarios.Window w) {
        System.out.printf("   %-45s %s delivered %d, %s/CPU-s, p50 %.2f p99 %.2f max %.1f ms, generator %.0f%%, steal %.1f%%%n",
                row, w.verdict(), w.delivered(),
                w.deliveriesPerCpuSecond().isPresent() ? String.format("%.0f", w.deliveriesPerCpuSecond().getAsDouble()) : "-",
                w.latency().p50(), w.latency().p99(), w.latency().max(), w.generatorShare() * 100, w.steal() * 100);
    }

    /** Runs a measurement again (twice at most) while the host's steal makes it noisy. */
    private static String micros(Scenarios.Storm storm) {
        return storm.serverCpuMicros().isPresent() ? String.format("%.0f", storm.serverCpuMicros().getAsDouble()) : "-";
    }

    private static <T> T attempt(java.util.function.Supplier<T> measure, java.util.function.Predicate<T> noisy) {
        T result = measure.get();
        for (int i = 0; i < 2 && noisy.test(result); i++) {
            System.out.println("   noisy (steal above 5 %): measuring again");
            result = measure.get();
        }
        return result;
    }

    private static List<String> launcherFlags(Path root) throws IOException {
        Process p = new ProcessBuilder(root.resolve("bin/parley").toString(), "flags").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bin/parley flags failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }

    private static void database(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + args[i]);
            }
            String name = args[i].substring(2);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (name.equals("write") || name.equals("sequential")) {
                opts.put(name, "true");
            } else if (i + 1 < args.length) {
                opts.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return opts;
    }
}
