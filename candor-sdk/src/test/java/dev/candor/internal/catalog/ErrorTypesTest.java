package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorTypesTest {
    static final class OwnFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void jdkTypesAreKeptByName() {
        assertThat(ErrorTypes.reduce(new IOException("secret path /home/ann"), List.of())).isEqualTo("java.io.IOException");
        assertThat(ErrorTypes.reduce(new UncheckedIOException(new IOException()), List.of()))
                .isEqualTo("java.io.UncheckedIOException");
        assertThat(ErrorTypes.reduce(new TimeoutException(), null)).isEqualTo("java.util.concurrent.TimeoutException");
    }

    @Test
    void ownPackagesAreKeptOthersAreOther() {
        Throwable own = new OwnFailure();
        assertThat(ErrorTypes.reduce(own, List.of())).isEqualTo("other");
        assertThat(ErrorTypes.reduce(own, List.of("dev.candor"))).isEqualTo(OwnFailure.class.getName());
        assertThat(ErrorTypes.reduce(own, List.of("dev.candor.internal.catalog"))).isEqualTo(OwnFailure.class.getName());
        // A package name is a whole segment: "dev.cand" does not cover "dev.candor".
        assertThat(ErrorTypes.reduce(own, List.of("dev.cand"))).isEqualTo("other");
        assertThat(ErrorTypes.reduce(new org.opentest4j.AssertionFailedError(), List.of("dev.candor"))).isEqualTo("other");
        assertThat(ErrorTypes.reduce((Throwable) null, List.of())).isEqualTo("other");
    }

    @Test
    void allowedValuesForTheCollector() {
        assertThat(ErrorTypes.isAllowedValue("other", List.of())).isTrue();
        assertThat(ErrorTypes.isAllowedValue("java.io.IOException", List.of())).isTrue();
        assertThat(ErrorTypes.isAllowedValue("javax.net.ssl.SSLException", List.of())).isTrue();
        assertThat(ErrorTypes.isAllowedValue("com.acme.Boom$Inner", List.of("com.acme"))).isTrue();
        assertThat(ErrorTypes.isAllowedValue("com.acmex.Boom", List.of("com.acme"))).isFalse();
        assertThat(ErrorTypes.isAllowedValue("java.", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("java.io.IOException /home/ann", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("java..X", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("ann@example.org", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue(null, List.of())).isFalse();
    }

    @Test
    void freeTextShapedLikeAPackageIsNotAnErrorType() {
        // a property key, a file, a host, capitalised words, another script, a trailing dot
        for (String text : List.of("java.io.tmpdir", "java.txt", "javax.net.ssl.trustStore", "java.example.org",
                "java.Users.ann.Diary", "java.lang.Ошибка", "java.io.IOException.", "com.acme.ann_at_home",
                "com.acme.Ann Smith", "java.9lives.Cat")) {
            assertThat(ErrorTypes.isAllowedValue(text, List.of("com.acme"))).as(text).isFalse();
            assertThat(ErrorTypes.reduce(text, List.of("com.acme"))).as(text).isEqualTo("other");
        }
        assertThat(ErrorTypes.isAllowedValue("java.io.I" + "O".repeat(200) + "Exception", List.of())).isFalse();
        assertThat(ErrorTypes.isAllowedValue("com.Acme.io.Boom", List.of("com.Acme"))).as("the catalog's own spelling")
                .isTrue();
    }

    /** Every throwable class of the JDK running the test, in java.* or javax.*, is kept by name. */
    @Test
    void everyJdkThrowableIsKeptByName() throws IOException {
        List<String> refused = new ArrayList<>();
        int throwables = 0;
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = className(file);
                if (name == null || !(name.startsWith("java.") || name.startsWith("javax."))) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName(name, false, ClassLoader.getPlatformClassLoader());
                } catch (ClassNotFoundException | LinkageError notLoadable) {
                    continue;
                }
                if (Throwable.class.isAssignableFrom(type)) {
                    throwables++;
                    if (!ErrorTypes.isAllowedValue(name, List.of())) {
                        refused.add(name);
                    }
                }
            }
        }
        assertThat(throwables).as("throwables found").isGreaterThan(300);
        assertThat(refused).isEmpty();
    }

    /** {@code /modules/java.base/java/io/IOException.class} → {@code java.io.IOException}; null for other files. */
    private static String className(Path file) {
        String path = file.toString();
        if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.endsWith("package-info.class")
                || file.getNameCount() < 3) {
            return null;
        }
        String inModule = file.subpath(2, file.getNameCount()).toString();
        return inModule.substring(0, inModule.length() - ".class".length()).replace('/', '.');
    }
}
