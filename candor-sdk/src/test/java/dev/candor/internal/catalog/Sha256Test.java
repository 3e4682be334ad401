package dev.candor.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Sha256Test {
    @Test
    void knownDigests() {
        assertThat(Catalog.sha256Hex(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Catalog.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    /** Every length around the block and padding boundaries, and random contents, as MessageDigest says. */
    @Property(tries = 500)
    void agreesWithMessageDigest(@ForAll @Size(max = 300) byte[] bytes) throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(Catalog.sha256Hex(bytes)).isEqualTo(expected);
    }

    @Test
    void everyLengthUpToThreeBlocks() throws Exception {
        for (int n = 0; n <= 200; n++) {
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) (i * 31 + n);
            }
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(Catalog.sha256Hex(bytes)).as("length %d", n).isEqualTo(expected);
        }
    }
}
