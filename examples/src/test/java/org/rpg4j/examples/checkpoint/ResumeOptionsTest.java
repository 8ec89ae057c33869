package org.rpg4j.examples.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.schedule.ScheduleKind;

/**
 * A checkpoint written before an option existed resumes when the option is at its default (the older
 * run behaved as the default does), and is refused, naming the option, when it is not.
 */
class ResumeOptionsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anOptionAddedSinceTheCheckpointMayOnlyTakeItsDefault() throws Exception {
        Map<String, Object> defaults = new Options().asMap();
        Options now = new Options();
        JsonNode saved = tree(now.asMap());
        ((ObjectNode) saved).remove("schedule");
        assertEquals(List.of(), CheckpointSession.differences(saved, tree(now.asMap()), tree(defaults)));

        now.pruning.schedule = ScheduleKind.CUBIC;
        assertEquals(List.of("--schedule \"CUBIC\" (the checkpointed run did not have it)"),
                CheckpointSession.differences(saved, tree(now.asMap()), tree(defaults)));
        // without defaults (the four-argument open) every new option is a difference, as before
        assertEquals(1, CheckpointSession.differences(saved, tree(new Options().asMap()), tree(Map.of())).size());
    }

    private static JsonNode tree(Map<String, Object> map) {
        return MAPPER.valueToTree(map);
    }
}
