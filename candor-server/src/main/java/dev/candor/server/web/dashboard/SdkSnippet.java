package dev.candor.server.web.dashboard;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;

/**
 * The few lines an app adds to its {@code main} to start Candor (the SDK's public API,
 * {@code dev.candor.Telemetry}), filled in with the first event of the app's own catalog, as the
 * dashboard shows them before the first report arrives.
 */
final class SdkSnippet {

    private SdkSnippet() {
    }

    static String start(Catalog catalog) {
        StringBuilder record = new StringBuilder();
        EventSpec first = catalog.events().get(0);
        record.append("telemetry.counter(\"").append(first.name()).append('"');
        for (FieldSpec f : first.fields()) {
            String value = f.type() == FieldType.ERROR_TYPE ? "other" : f.values().get(0);
            record.append(", \"").append(f.name()).append("\", \"").append(value).append('"');
        }
        record.append(").increment();");
        return "import dev.candor.Telemetry;\n"
                + "import dev.candor.TelemetryOptions;\n\n"
                + "try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().args(args).build())) {\n"
                + "    " + record + "\n"
                + "}";
    }
}
