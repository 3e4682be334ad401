package dev.candor.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CompactJson} writes exactly what Jackson writes for the kinds of tree a canonical report is
 * made of, whatever the strings hold (quotes, backslashes, control characters, non-ASCII), and the
 * text reads back as itself.
 */
class CompactJsonProperties {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Property(tries = 300)
    void writesWhatJacksonWrites(@ForAll("trees") JsonNode tree) throws Exception {
        String text = CompactJson.write(tree);
        assertThat(text).isEqualTo(tree.toString());
        assertThat(MAPPER.readTree(text).toString()).isEqualTo(text);
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return tree(3);
    }

    private Arbitrary<JsonNode> tree(int depth) {
        Arbitrary<String> strings = Arbitraries.strings().all().ofMaxLength(12)
                .edgeCases(config -> config.add("\"\\\u0000\u001f\u007f\u2028é\uD83D\uDE00"));
        Arbitrary<JsonNode> leaves = Arbitraries.oneOf(
                strings.map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return leaves;
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> tree(depth - 1));
        Arbitrary<JsonNode> arrays = child.list().ofMaxSize(4).map(CompactJsonProperties::array);
        Arbitrary<JsonNode> objects = Arbitraries.entries(strings, child).list().ofMaxSize(4)
                .map(entries -> {
                    ObjectNode object = NODES.objectNode();
                    entries.forEach(e -> object.set(e.getKey(), e.getValue()));
                    return object;
                });
        return Arbitraries.oneOf(leaves, arrays, objects);
    }

    private static JsonNode array(List<JsonNode> items) {
        ArrayNode array = NODES.arrayNode();
        items.forEach(array::add);
        return array;
    }
}
