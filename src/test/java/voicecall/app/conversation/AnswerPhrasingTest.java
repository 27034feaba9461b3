package voicecall.app.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.junit.jupiter.api.Test;
import voicecall.engine.dialogue.Phrasing;
import voicecall.engine.llm.LlmConfig;
import voicecall.engine.llm.LlmPhrasing;

class AnswerPhrasingTest {

  @Test
  void eachResultIsCountedUnderItsOwnTag() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AnswerPhrasing phrasing =
        new AnswerPhrasing(
            LlmPhrasing.create(LlmConfig.of(URI.create("http://127.0.0.1:9"), "m")), 3, meters);
    phrasing.accept(Phrasing.Result.PHRASED);
    phrasing.accept(Phrasing.Result.PHRASED);
    phrasing.accept(Phrasing.Result.FALLBACK_DEADLINE);

    assertThat(meters.get("voicecall.llm.replies").tag("result", "phrased").counter().count())
        .isEqualTo(2);
    assertThat(
            meters
                .get("voicecall.llm.replies")
                .tag("result", "fallback-deadline")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .get("voicecall.llm.replies")
                .tag("result", "fallback-citation")
                .counter()
                .count())
        .isZero();
  }

  @Test
  void phrasingIsOffWithoutABaseUrl() {
    assertThat(
            ConversationConfiguration.phrasing(
                new voicecall.app.config.VoiceCallProperties.Llm(
                    "",
                    "m",
                    "",
                    java.time.Duration.ofSeconds(5),
                    java.time.Duration.ofMillis(700),
                    200,
                    3),
                new SimpleMeterRegistry()))
        .isNull();
  }
}
