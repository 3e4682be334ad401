package dev.candor.internal.context;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What the SDK logs (its {@code System.Logger}, through the JDK's logging) during each test: register it as an extension. */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
    private final Logger candorLog = Logger.getLogger("dev.candor"); // a strong reference while the test runs
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** The records logged so far in this test, live. */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        candorLog.addHandler(capture);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        candorLog.removeHandler(capture);
    }
}
