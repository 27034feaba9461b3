package voicecall.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import voicecall.engine.llm.LlmConfig;

/** Binding {@code voicecall.llm.*} the way the application does, with its defaults. */
class LlmPropertiesTest {

  @Test
  void phrasingIsOffByDefaultWithA700MillisecondDeadline() {
    VoiceCallProperties.Llm llm = bind(Map.of());
    assertThat(llm.toConfig()).isNull();
    assertThat(llm.firstSentenceDeadline()).isEqualTo(Duration.ofMillis(700));
    assertThat(llm.maxEntries()).isEqualTo(3);
    assertThat(llm.toString()).contains("off");
  }

  @Test
  void aBaseUrlTurnsPhrasingOnWithAHiddenKey() {
    VoiceCallProperties.Llm llm =
        bind(
            Map.of(
                "voicecall.llm.base-url", "http://llm.example:8000",
                "voicecall.llm.api-key", "sk-secret",
                "voicecall.llm.model", "small",
                "voicecall.llm.first-sentence-deadline", "500ms",
                "voicecall.llm.max-tokens", "80"));
    LlmConfig config = Objects.requireNonNull(llm.toConfig());
    assertThat(config.model()).isEqualTo("small");
    assertThat(config.apiKey()).isEqualTo("sk-secret");
    assertThat(config.firstSentenceDeadline()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.maxTokens()).isEqualTo(80);
    assertThat(llm.toString()).doesNotContain("sk-secret").contains("***");
  }

  @Test
  void badValuesNameTheProperty() {
    assertRefused("voicecall.llm.base-url", "ftp://llm.example", "voicecall.llm");
    assertRefused("voicecall.llm.timeout", "0s", "voicecall.llm.timeout");
    assertRefused("voicecall.llm.max-entries", "0", "voicecall.llm.max-entries");
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "voicecall.llm.base-url", "http://llm.example",
                        "voicecall.llm.first-sentence-deadline", "10s")))
        .hasStackTraceContaining("deadline");
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "voicecall.llm.base-url", "http://llm.example",
                        "voicecall.llm.max-tokens", "0")))
        .hasStackTraceContaining("tokens");
  }

  private static void assertRefused(String key, String value, String message) {
    assertThatThrownBy(() -> bind(Map.of(key, value)))
        .as(key + "=" + value)
        .hasStackTraceContaining(message);
  }

  private static VoiceCallProperties.Llm bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("voicecall.llm", VoiceCallProperties.Llm.class);
  }
}
