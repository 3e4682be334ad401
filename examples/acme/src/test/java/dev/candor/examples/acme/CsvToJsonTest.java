package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvToJsonTest {

    @Test
    void quotedFieldsWithCommasQuotesAndLineBreaks() throws Exception {
        String csv = "name,note\r\n\"Smith, Jo\",\"said \"\"hi\"\"\"\r\nAl,\"two\nlines\"\r\n";
        assertThat(CsvToJson.convert(csv, "in.csv")).isEqualTo(
                "[\n  {\"name\": \"Smith, Jo\", \"note\": \"said \\\"hi\\\"\"},\n"
                        + "  {\"name\": \"Al\", \"note\": \"two\\nlines\"}\n]\n");
    }

    @Test
    void emptyFieldsBlankLinesBomAndNoFinalNewline() throws Exception {
        assertThat(CsvToJson.convert("\uFEFFa,b\n\n1,\n,2", "in.csv"))
                .isEqualTo("[\n  {\"a\": \"1\", \"b\": \"\"},\n  {\"a\": \"\", \"b\": \"2\"}\n]\n");
        assertThat(CsvToJson.convert("", "in.csv")).isEqualTo("[]\n");
        assertThat(CsvToJson.convert("a,b\n", "in.csv")).isEqualTo("[]\n");
    }

    @Test
    void controlCharactersAndUnicodeAreValidJson() throws Exception {
        assertThat(CsvToJson.convert("k\n\"a\tb\u0001 é 😀 \\\"", "x.csv"))
                .isEqualTo("[\n  {\"k\": \"a\\tb\\u0001 é 😀 \\\\\"}\n]\n");
    }

    @Test
    void badInputNamesTheLineAndTheFix() {
        assertThatThrownBy(() -> CsvToJson.convert("a,b\n1,2\n3\n", "in.csv"))
                .hasMessage("in.csv: line 3: 1 field, but the header has 2; every row needs one value per column"
                        + " (quote values that contain commas)");
        assertThatThrownBy(() -> CsvToJson.convert("a\n\"open\nstill open\n", "in.csv"))
                .hasMessageStartingWith("in.csv: line 2: a quoted field is never closed");
        assertThatThrownBy(() -> CsvToJson.convert("a,a\n1,2\n", "in.csv"))
                .hasMessageStartingWith("in.csv: line 1: the header names the column \"a\" twice");
        assertThatThrownBy(() -> CsvToJson.convert("a\n\"x\"y\n", "in.csv"))
                .hasMessageStartingWith("in.csv: line 2: unexpected 'y' after a closing quote");
    }

    @Test
    void inputSizeBuckets() {
        assertThat(Acme.sizeBucket(0)).isEqualTo("<1KB");
        assertThat(Acme.sizeBucket(1023)).isEqualTo("<1KB");
        assertThat(Acme.sizeBucket(1024)).isEqualTo("1KB-1MB");
        assertThat(Acme.sizeBucket(1024 * 1024)).isEqualTo("1MB-100MB");
        assertThat(Acme.sizeBucket(100L * 1024 * 1024)).isEqualTo(">100MB");
    }
}
