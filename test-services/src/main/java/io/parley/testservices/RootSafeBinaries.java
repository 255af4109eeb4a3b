package io.parley.testservices;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The embedded PostgreSQL binaries, made to work for root. PostgreSQL refuses to run as root, and CI
 * machines and containers often run builds as root; so {@code initdb} and {@code pg_ctl} are replaced by
 * wrappers that, when started as root, hand the data directory to {@code nobody} and run the real program
 * as {@code nobody} (with {@code setpriv}). For any other user the wrappers just run the real program.
 *
 * <p>The patched archive is built once per machine and kept in the temporary directory, keyed by the
 * original archive's digest.
 */
final class RootSafeBinaries implements PgBinaryResolver {
    /** The embedded server caches unpacked binaries by resolver: one instance per JVM. */
    static final RootSafeBinaries INSTANCE = new RootSafeBinaries();
    private static final Set<String> WRAPPED = Set.of("initdb", "pg_ctl");
    private static final String WRAPPER = """
            #!/bin/sh
            # PostgreSQL refuses to run as root: as root, run the real program as nobody.
            real="$0.real"
            if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
            previous=""
            for arg in "$@"; do
              if [ "$previous" = "-D" ]; then chown -R 65534:65534 "$arg"; fi
              previous="$arg"
            done
            exec setpriv --reuid=65534 --regid=65534 --clear-groups "$real" "$@"
            """;

    private RootSafeBinaries() {
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        byte[] original;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
            if (in == null) {
                return null;
            }
            original = in.readAllBytes();
        }
        Path patched = Path.of(System.getProperty("java.io.tmpdir"), "parley-embedded-pg",
                "root-safe-" + digest(original) + ".txz");
        if (!Files.exists(patched)) {
            Files.createDirectories(patched.getParent());
            Path partial = Files.createTempFile(patched.getParent(), "partial", ".txz");
            try (OutputStream out = Files.newOutputStream(partial)) {
                patch(new ByteArrayInputStream(original), out);
            }
            Files.move(partial, patched, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.newInputStream(patched);
    }

    /** Copies the archive, renaming each wrapped program to {@code NAME.real} and adding its wrapper. */
    private static void patch(InputStream txz, OutputStream out) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz)));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(
                     new XZOutputStream(new BufferedOutputStream(out), new LZMA2Options(0)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry;
            while ((entry = (TarArchiveEntry) in.getNextEntry()) != null) {
                String program = wrappedProgram(entry);
                if (program == null) {
                    tar.putArchiveEntry(entry);
                    if (entry.isFile()) {
                        in.transferTo(tar);
                    }
                    tar.closeArchiveEntry();
                    continue;
                }
                TarArchiveEntry real = new TarArchiveEntry(entry.getName() + ".real");
                real.setMode(entry.getMode());
                real.setSize(entry.getSize());
                tar.putArchiveEntry(real);
                in.transferTo(tar);
                tar.closeArchiveEntry();
                byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry wrapper = new TarArchiveEntry(entry.getName());
                wrapper.setMode(0755);
                wrapper.setSize(script.length);
                tar.putArchiveEntry(wrapper);
                tar.write(script);
                tar.closeArchiveEntry();
            }
        }
    }

    private static String wrappedProgram(TarArchiveEntry entry) {
        if (!entry.isFile()) {
            return null;
        }
        String name = entry.getName();
        String file = name.substring(name.lastIndexOf('/') + 1);
        boolean inBin = name.startsWith("bin/") || name.startsWith("./bin/");
        return inBin && WRAPPED.contains(file) ? file : null;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    /** @return whether this JVM runs as root, where PostgreSQL needs the wrappers */
    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

}
