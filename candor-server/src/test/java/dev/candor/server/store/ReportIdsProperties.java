package dev.candor.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The 16 bytes the SQLite store keeps for a report id are its text form's hex digits in order, the same bytes
 * that the V11 migration makes from a stored id with {@code unhex(replace(report_id, '-', ''))}, so an id stored
 * before the upgrade and the same id sent after it meet in one index entry.
 */
class ReportIdsProperties {
    @Property
    void theBytesAreTheHexDigitsOfTheTextFormAndReadBackToTheSameId(@ForAll long high, @ForAll long low) {
        UUID id = new UUID(high, low);
        byte[] bytes = ReportIds.bytes(id);
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(id.toString().replace("-", ""));
        assertThat(ReportIds.uuid(bytes)).isEqualTo(id);
    }
}
