package dev.candor.server.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Reads the {@code Authorization} header as UTF-8. Jetty turns each byte of a header value into one
 * character (ISO-8859-1), so an admin token with non-ASCII characters, which {@code serve} accepts and
 * the sign-in form carries as UTF-8, arrived as different characters and never matched when sent as
 * {@code Authorization: Bearer <token>} by curl or Prometheus, which send UTF-8. A value whose bytes are
 * valid UTF-8 is decoded so; any other value (bytes that were meant as ISO-8859-1) is left as it was.
 */
final class Utf8Authorization implements HttpConfiguration.Customizer {

    @Override
    public void customize(Connector connector, HttpConfiguration config, Request request) {
        HttpFields fields = request.getHttpFields();
        if (fields == null || !fields.contains(HttpHeader.AUTHORIZATION)) {
            return;
        }
        HttpFields.Mutable decoded = HttpFields.build(fields.size());
        boolean changed = false;
        for (HttpField field : fields) {
            String utf8 = field.getHeader() == HttpHeader.AUTHORIZATION ? asUtf8(field.getValue()) : null;
            if (utf8 != null && !utf8.equals(field.getValue())) {
                decoded.add(new HttpField(field.getHeader(), field.getName(), utf8));
                changed = true;
            } else {
                decoded.add(field);
            }
        }
        if (changed) {
            request.setHttpFields(decoded);
        }
    }

    /**
     * {@code value}'s characters taken as bytes and decoded as UTF-8, or null when they are not all
     * bytes (a character above U+00FF) or not valid UTF-8.
     */
    static String asUtf8(String value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = new byte[value.length()];
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return null;
            }
            bytes[i] = (byte) c;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
