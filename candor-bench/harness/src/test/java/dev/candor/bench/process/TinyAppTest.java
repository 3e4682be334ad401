package dev.candor.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyAppTest {

    @TempDir
    Path repo;

    private static TinyApp app(String key) {
        return TinyApp.ALL.stream().filter(a -> a.key().equals(key)).findFirst().orElseThrow();
    }

    /** A built app module whose class path file lists {@code jars} (names under the repository's lib/). */
    private Path built(String module, String... jars) throws IOException {
        Path target = Files.createDirectories(repo.resolve("candor-bench/apps").resolve(module).resolve("target"));
        StringBuilder classPath = new StringBuilder();
        for (String jar : jars) {
            classPath.append(classPath.length() == 0 ? "" : java.io.File.pathSeparator).append(repo.resolve("lib").resolve(jar));
        }
        Files.writeString(target.resolve("classpath.txt"), classPath.toString());
        return target;
    }

    @Test
    void aSubstituteJarTakesTheSdkJarsPlaceFirstOnCandorsClassPath() throws IOException {
        built("candor", "candor-sdk-0.1.0-SNAPSHOT.jar");
        Path floor = Files.writeString(repo.resolve("floor.jar"), "a jar");

        assertThat(app(TinyApp.CANDOR).libraryJars(repo, floor.toString())).containsExactly(floor);
        assertThat(app(TinyApp.CANDOR_UPLOADING).libraryJars(repo, floor.toString())).containsExactly(floor);
    }

    @Test
    void withoutASubstituteCandorRunsOnTheSdksOwnBuild() throws IOException {
        built("candor", "candor-sdk-0.1.0-SNAPSHOT.jar");

        assertThat(app(TinyApp.CANDOR).libraryJars(repo, null))
                .containsExactly(repo.resolve("lib/candor-sdk-0.1.0-SNAPSHOT.jar"));
        assertThat(app(TinyApp.CANDOR).libraryJars(repo, "")).hasSize(1);
    }

    @Test
    void otherAppsKeepTheirOwnJars() throws IOException {
        built("micrometer", "micrometer-core-1.13.0.jar", "HdrHistogram-2.2.2.jar");
        Path floor = Files.writeString(repo.resolve("floor.jar"), "a jar");

        assertThat(app("micrometer").libraryJars(repo, floor.toString())).containsExactly(
                repo.resolve("lib/micrometer-core-1.13.0.jar"), repo.resolve("lib/HdrHistogram-2.2.2.jar"));
    }

    @Test
    void aSubstituteThatIsNoFileIsRefusedByName() throws IOException {
        built("candor", "candor-sdk-0.1.0-SNAPSHOT.jar");

        assertThatThrownBy(() -> app(TinyApp.CANDOR).libraryJars(repo, "no-such.jar"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CANDOR_BENCH_SDK_JAR names")
                .hasMessageContaining("no-such.jar, which is not a file");
    }

    @Test
    void aClassPathWithoutTheSdkJarIsRefusedRatherThanRunWithTwoSdks() throws IOException {
        built("candor", "something-else.jar");
        Path floor = Files.writeString(repo.resolve("floor.jar"), "a jar");

        assertThatThrownBy(() -> app(TinyApp.CANDOR).libraryJars(repo, floor.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no candor-sdk jar");
    }
}
