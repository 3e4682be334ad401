package dev.candor.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite file. */
class SqliteReportStoreContractTest extends ReportStoreContract {
    @TempDir Path folders;

    @Override
    String newLocation() throws Exception {
        return Files.createTempDirectory(folders, "data").toString();
    }

    @Override
    ReportStore open(String location) {
        return SqliteReportStore.open(Path.of(location));
    }
}
