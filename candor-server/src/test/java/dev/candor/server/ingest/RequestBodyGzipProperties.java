package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * A gzip body is read whole or refused: one member or several, each byte is the JSON; and bytes after
 * the last member, which the JDK's {@code GZIPInputStream} would quietly drop, make it a 400.
 */
class RequestBodyGzipProperties {

    static byte[] gzip(byte[] plain, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain, from, to - from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] bytes(List<Byte> list) {
        byte[] bytes = new byte[list.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = list.get(i);
        }
        return bytes;
    }

    static byte[] read(byte[] body) {
        return RequestBody.read(new ByteArrayInputStream(body), "application/json", "gzip", body.length);
    }

    /** The plain bytes gzipped as one member per part, the parts split at {@code cuts}. */
    static byte[] members(byte[] plain, List<Integer> cuts) {
        int[] at = cuts.stream().mapToInt(c -> c % (plain.length + 1)).sorted().toArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : at) {
            body.writeBytes(gzip(plain, from, cut));
            from = cut;
        }
        body.writeBytes(gzip(plain, from, plain.length));
        return body.toByteArray();
    }

    @Property(tries = 300)
    void everyMemberIsRead(@ForAll @Size(min = 1, max = 2000) List<Byte> plainBytes,
                           @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 5000) Integer> cuts) {
        byte[] plain = bytes(plainBytes);
        assertThat(read(members(plain, cuts))).isEqualTo(plain);
    }

    @Property(tries = 300)
    void bytesAfterTheLastMemberAreRefused(@ForAll @Size(min = 1, max = 2000) List<Byte> plainBytes,
                                           @ForAll @Size(max = 2) List<@IntRange(min = 0, max = 5000) Integer> cuts,
                                           @ForAll @Size(min = 1, max = 64) List<Byte> afterBytes) {
        byte[] after = bytes(afterBytes);
        byte[] members = members(bytes(plainBytes), cuts);
        byte[] body = Arrays.copyOf(members, members.length + after.length);
        System.arraycopy(after, 0, body, members.length, after.length);
        // Either the JDK already fails on what follows (it looked like another member), or the trailer check does.
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(400));
    }

    /** A member with every optional header field (extra, name, comment, header CRC): read as the JDK reads it. */
    @Test
    void everyOptionalHeaderFieldIsSkippedAsTheJdkSkipsIt() throws IOException {
        byte[] plain = "{\"reports\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] plainMember = gzip(plain, 0, plain.length);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, (byte) 0xff});
        header.write(new byte[] {3, 0, 'a', 'b', 'c'});
        header.writeBytes("name.json\0".getBytes(StandardCharsets.US_ASCII));
        header.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
        int crcAt = header.size();
        CRC32 crc = new CRC32();
        crc.update(header.toByteArray());
        header.write((int) crc.getValue() & 0xff);
        header.write((int) (crc.getValue() >> 8) & 0xff);
        header.write(plainMember, 10, plainMember.length - 10); // the deflate data and trailer as GZIPOutputStream wrote them
        byte[] member = header.toByteArray();
        try (GZIPInputStream jdk = new GZIPInputStream(new ByteArrayInputStream(member))) {
            assertThat(jdk.readAllBytes()).isEqualTo(plain);
        }
        assertThat(read(member)).isEqualTo(plain);

        member[crcAt] ^= 1;
        assertThatThrownBy(() -> read(member)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().detail()).startsWith("the gzip data is corrupt: its header's checksum"));
    }
}
