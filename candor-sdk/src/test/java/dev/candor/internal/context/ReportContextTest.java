package dev.candor.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportContextTest {
    static final long GIB = ReportContext.GIB;

    @TempDir
    Path root;

    @Test
    void theContextHoldsExactlyTheSixCoarseKeysInOrder() {
        TestEnvironment env = new TestEnvironment(root);
        Map<String, Object> context = ReportContext.of(env, "maven", 4 * GIB);
        assertThat(context).containsExactly(Map.entry("os", "linux"), Map.entry("arch", "x64"),
                Map.entry("runtime", "java_17"), Map.entry("memory_tier", "medium"),
                Map.entry("install_method", "maven"), Map.entry("ci", false));
    }

    @Test
    void valuesAreFamiliesNeverDetails() {
        assertThat(Environment.osFamily("Mac OS X")).isEqualTo("macos");
        assertThat(Environment.osFamily("Windows Server 2022")).isEqualTo("windows");
        assertThat(Environment.osFamily("FreeBSD")).isEqualTo("other");
        assertThat(Environment.osFamily(null)).isEqualTo("other");
        assertThat(Environment.osFamily("Linux")).isEqualTo("linux");
        assertThat(Environment.OS_FAMILIES).contains("linux", "macos", "windows", "other").hasSize(4);
        assertThat(ReportContext.arch("aarch64")).isEqualTo("arm64");
        assertThat(ReportContext.arch("x86_64")).isEqualTo("x64");
        assertThat(ReportContext.arch("ppc64le")).isEqualTo("other");
        assertThat(ReportContext.runtime("1.8")).isEqualTo("java_8");
        assertThat(ReportContext.runtime("21")).isEqualTo("java_21");
        assertThat(ReportContext.runtime("garbage")).startsWith("java_");
    }

    @Test
    void memoryTiersFollowTheMaximumHeap() {
        assertThat(ReportContext.memoryTier(GIB)).isEqualTo("low");
        assertThat(ReportContext.memoryTier(2 * GIB - 1)).isEqualTo("low");
        assertThat(ReportContext.memoryTier(2 * GIB)).isEqualTo("medium");
        assertThat(ReportContext.memoryTier(8 * GIB - 1)).isEqualTo("medium");
        assertThat(ReportContext.memoryTier(8 * GIB)).isEqualTo("high");
        assertThat(ReportContext.memoryTier(Long.MAX_VALUE)).isEqualTo("high");
    }

    @Test
    void installMethodIsATokenOrUnknownOrOther() {
        assertThat(ReportContext.installMethod(null)).isEqualTo("unknown");
        assertThat(ReportContext.installMethod(" ")).isEqualTo("unknown");
        assertThat(ReportContext.installMethod("brew")).isEqualTo("brew");
        assertThat(ReportContext.installMethod("/home/alice/bin")).isEqualTo("other");
        assertThat(ReportContext.installMethod("x".repeat(33))).isEqualTo("other");
    }

    @Test
    void ciIsAnyValueButEmptyZeroOrFalse() {
        TestEnvironment env = new TestEnvironment(root);
        assertThat(ReportContext.isCi(env)).isFalse();
        assertThat(ReportContext.isCi(env.set("CI", "true"))).isTrue();
        assertThat(ReportContext.isCi(env.set("CI", "1"))).isTrue();
        assertThat(ReportContext.isCi(env.set("CI", "false"))).isFalse();
        assertThat(ReportContext.isCi(env.set("CI", "0"))).isFalse();
        assertThat(ReportContext.isCi(env.set("CI", ""))).isFalse();
        assertThat(ReportContext.of(env.set("CI", "yes"), null, GIB)).containsEntry("ci", true)
                .containsEntry("install_method", "unknown");
    }
}
