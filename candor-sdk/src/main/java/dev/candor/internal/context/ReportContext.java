package dev.candor.internal.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The coarse environment every report carries (DESIGN §5), in wire order: {@code os},
 * {@code arch}, {@code runtime}, {@code memory_tier}, {@code install_method}, {@code ci}. Only
 * families and tiers, never a name, version or size that could single out a machine.
 */
public final class ReportContext {
    static final long GIB = 1024L * 1024 * 1024;

    private ReportContext() {
    }

    /** The context of this JVM: its real maximum heap, and {@code env} for everything else. */
    public static Map<String, Object> current(Environment env, String installMethod) {
        return of(env, installMethod, Runtime.getRuntime().maxMemory());
    }

    /** The context for a JVM in {@code env} whose maximum heap is {@code maxHeapBytes}. Immutable. */
    public static Map<String, Object> of(Environment env, String installMethod, long maxHeapBytes) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("os", env.osFamily());
        context.put("arch", arch(env.property("os.arch")));
        context.put("runtime", runtime(env.property("java.specification.version")));
        context.put("memory_tier", memoryTier(maxHeapBytes));
        context.put("install_method", installMethod(installMethod));
        context.put("ci", isCi(env));
        return Collections.unmodifiableMap(context);
    }

    /** {@code x64}, {@code arm64} or {@code other} for an {@code os.arch} value. */
    static String arch(String osArch) {
        // ifs, not a switch on the string: the same words in about half the bytecode
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        if (a.equals("amd64") || a.equals("x86_64") || a.equals("x64")) {
            return "x64";
        }
        return a.equals("aarch64") || a.equals("arm64") ? "arm64" : "other";
    }

    /** {@code java_<major>} from {@code java.specification.version} ({@code 17}, or {@code 1.8} for 8). */
    static String runtime(String specificationVersion) {
        if (specificationVersion != null) {
            String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
            int dot = v.indexOf('.');
            String major = dot < 0 ? v : v.substring(0, dot);
            if (!major.isEmpty() && major.length() <= 3 && isDigits(major)) {
                return "java_" + Integer.parseInt(major);
            }
        }
        return "java_" + Runtime.version().feature();
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code low} below 2 GiB of maximum heap, {@code medium} below 8 GiB, else {@code high}. */
    static String memoryTier(long maxHeapBytes) {
        if (maxHeapBytes < 2 * GIB) {
            return "low";
        }
        return maxHeapBytes < 8 * GIB ? "medium" : "high";
    }

    /**
     * The launcher's install method ({@code maven}, {@code brew}, {@code zip}, …): lower-case letters,
     * digits, {@code -} and {@code _}, at most 32 characters; unset is {@code unknown}, anything else
     * {@code other} (so that nothing free-form ever reaches a report).
     */
    static String installMethod(String value) {
        if (value == null || value.isBlank()) {
            return "unknown";
        }
        if (value.length() > 32) {
            return "other";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return "other";
            }
        }
        return value;
    }

    /** True when {@code CI} is set to anything but empty, {@code 0} or {@code false}. */
    public static boolean isCi(Environment env) {
        String ci = env.variable("CI");
        if (ci == null) {
            return false;
        }
        String v = ci.strip();
        return !v.isEmpty() && !"0".equals(v) && !"false".equalsIgnoreCase(v);
    }
}
