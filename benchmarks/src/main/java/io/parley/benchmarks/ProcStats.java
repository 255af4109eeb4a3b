package io.parley.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Linux says about a process and the host: CPU time and resident memory from {@code /proc/<pid>},
 * total and stolen CPU time from {@code /proc/stat}, and a JVM's live heap through {@code jcmd}.
 */
final class ProcStats {
    /** Clock ticks per second of {@code /proc} CPU times; 100 on every Linux this runs on (USER_HZ). */
    static final int TICKS_PER_SECOND = 100;
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private ProcStats() {
    }

    /** CPU time of a process: user plus system, in clock ticks. */
    static long cpuTicks(long pid) {
        return parseCpuTicks(read(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** @return utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line */
    static long parseCpuTicks(String stat) {
        // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12]
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * CPU time of a JVM's JIT compiler threads (HotSpot's {@code C1 CompilerThreadN} and {@code C2
     * CompilerThreadN}, whose names Linux cuts to 15 characters): user plus system, in clock ticks; 0 for a
     * process that has none.
     */
    static long compilerTicks(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    if (isCompilerThread(stat)) {
                        ticks += parseCpuTicks(stat);
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid + ": " + e.getMessage(), e);
        }
        return ticks;
    }

    /** @return whether a {@code /proc/<pid>/task/<tid>/stat} line is a HotSpot JIT compiler thread's */
    static boolean isCompilerThread(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    /** @return resident memory of a process, in KiB */
    static long rssKib(long pid) {
        return parseRssKib(read(Path.of("/proc", Long.toString(pid), "status")));
    }

    static long parseRssKib(String status) {
        Matcher m = RSS.matcher(status);
        if (!m.find()) {
            throw new IllegalStateException("no VmRSS line in /proc/<pid>/status");
        }
        return Long.parseLong(m.group(1));
    }

    /** The host's CPU counters at one moment. */
    record HostCpu(long totalTicks, long stealTicks) {
        /** @return the share of CPU time stolen by the hypervisor between {@code before} and this, 0–1 */
        double stealSince(HostCpu before) {
            long total = totalTicks - before.totalTicks;
            return total <= 0 ? 0 : (double) (stealTicks - before.stealTicks) / total;
        }
    }

    static HostCpu hostCpu() {
        return parseHostCpu(read(Path.of("/proc/stat")));
    }

    /** @return the aggregate {@code cpu} line: the sum of its fields and field 8 (steal) */
    static HostCpu parseHostCpu(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long total = 0;
                // user nice system idle iowait irq softirq steal; guest time is already inside user
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    total += Long.parseLong(f[i]);
                }
                long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                return new HostCpu(total, steal);
            }
        }
        throw new IllegalStateException("no aggregate cpu line in /proc/stat");
    }

    /**
     * The live heap of a JVM: {@code jcmd <pid> GC.class_histogram} runs a full collection first and then
     * counts only reachable objects, the same way for every collector (a collector's own {@code heap_info}
     * has a different format for each).
     *
     * @return live bytes, or empty when jcmd is missing or the process is not a JVM we may attach to
     */
    static Optional<Long> liveHeapBytes(long pid) {
        return classHistogram(pid).flatMap(ProcStats::parseHistogramTotal);
    }

    /**
     * Live objects by class, after a full collection ({@code jcmd <pid> GC.class_histogram}).
     *
     * @return the histogram's text, or empty when jcmd is missing or the process is not a JVM we may attach to
     */
    static Optional<String> classHistogram(long pid) {
        try {
            Path out = Files.createTempFile("parley-bench-histogram", ".txt");
            try {
                Process p = new ProcessBuilder(jcmd(), Long.toString(pid), "GC.class_histogram")
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return Optional.of(Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * @param histogram a class histogram's text
     * @param prefix    the classes to count, by name prefix (e.g. {@code io.parley.})
     * @return live instances by class name
     */
    static Map<String, Long> parseInstances(String histogram, String prefix) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = HISTOGRAM_LINE.matcher(histogram);
        while (m.find()) {
            if (m.group(3).startsWith(prefix)) {
                counts.merge(m.group(3), Long.parseLong(m.group(1)), Long::sum);
            }
        }
        return counts;
    }

    static Optional<Long> parseHistogramTotal(String histogram) {
        Matcher m = HISTOGRAM_TOTAL.matcher(histogram);
        return m.find() ? Optional.of(Long.parseLong(m.group(2))) : Optional.empty();
    }

    private static String jcmd() {
        Path inJdk = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(inJdk) ? inJdk.toString() : "jcmd";
    }

    /** @return the CPUs this process may run on ({@code Cpus_allowed_list}), e.g. "0" or "0-1" */
    static String allowedCpus(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        return List.of(status.split("\n")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
