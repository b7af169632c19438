package dev.sluice.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tree writer's bytes are exactly the mapper's, for every character a string can hold and every value kind. */
class JsonTreeWriterTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonTreeWriter writer = new JsonTreeWriter(mapper);

    private void assertSameAsMapper(Object tree) throws Exception {
        assertThat(writer.write(tree)).isEqualTo(mapper.writeValueAsBytes(tree));
    }

    @Test
    void eachCharacterInALongAndAShortStringIsWrittenAsTheMapperWritesIt() throws Exception {
        String padding = "x".repeat(60);
        List<String> characters = new ArrayList<>();
        for (char c = 0; c < 0x100; c++) {
            characters.add(padding + c + padding);
            characters.add("a" + c);
        }
        for (String c : List.of(
                "\u2028", "\u2029", "\uFFFD", "\uFFFF", "😀", "\u07FF", "\u0800", "\uD83D", "\uDE00", "?\uD83D")) {
            characters.add(padding + c + padding);
            characters.add(c);
        }
        for (String text : characters) {
            assertSameAsMapper(Map.of("Body", text));
        }
    }

    @Test
    void eachCharacterAtEachPlaceInAWordAndInTheTailIsWrittenAsTheMapperWritesIt() throws Exception {
        // The plain check reads eight bytes at a time and the last few one by one: a character that needs an escape
        // (or is not ASCII) must be found at any of the eight places of a word and in the tail.
        List<String> characters = new ArrayList<>();
        for (char c = 0; c < 0x100; c++) {
            characters.add(String.valueOf(c));
        }
        characters.addAll(List.of("\uD83D", "\uDE00", "\u0800", "😀"));
        for (String c : characters) {
            for (int place = 0; place < 19; place++) {
                String text = "y".repeat(place) + c + "y".repeat(50 - place);
                assertSameAsMapper(Map.of("Body", text));
                assertSameAsMapper(Map.of("Body", "?".repeat(place) + c + "?".repeat(50 - place)));
            }
        }
    }

    @Test
    void aReceiveAnswerWithEveryKindOfValueIsWrittenAsTheMapperWritesIt() throws Exception {
        Map<String, Object> attribute = new LinkedHashMap<>();
        attribute.put("BinaryValue", new byte[] {0, 1, 2, (byte) 0xff, 42});
        attribute.put("DataType", "Binary");
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("MessageId", "0b1f4b36-9f0e-4c5e-8e0e-7d2b5b8f3c11");
        message.put("ReceiptHandle", "AQEB" + "Zm9vYmFy".repeat(40));
        message.put("Body", "{\"order\": 17, \"note\": \"plain ascii and \\\\ slashes\"}" + "b".repeat(1024));
        message.put("Attributes", Map.of("ApproximateReceiveCount", "3"));
        message.put("MessageAttributes", Map.of("blob", attribute));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Messages", List.of(message, Map.of("Body", "q".repeat(2000))));
        answer.put("Count", 12);
        answer.put("Moved", 1L << 40);
        answer.put("Ok", true);
        answer.put("Nothing", null);
        answer.put("Empty", List.of());
        answer.put("Nested", List.of(List.of(1, 2), Map.of()));

        assertSameAsMapper(answer);
    }
}
