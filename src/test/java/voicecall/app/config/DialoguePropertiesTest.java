package voicecall.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import voicecall.engine.dialogue.DialogueSettings;

/** Binding {@code voicecall.dialogue.*} the way the application does, with its defaults. */
class DialoguePropertiesTest {

  @Test
  void theDefaultsAreTheEnginesDefaults() {
    assertThat(bind(Map.of()).toSettings()).isEqualTo(DialogueSettings.defaults());
  }

  @Test
  void valuesAreBound() {
    DialogueSettings s =
        bind(Map.of(
                "voicecall.dialogue.silence-timeout", "5s",
                "voicecall.dialogue.max-call-length", "3m",
                "voicecall.dialogue.menu-size", "4"))
            .toSettings();
    assertThat(s.silenceTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.maxCallLength()).isEqualTo(Duration.ofMinutes(3));
    assertThat(s.menuSize()).isEqualTo(4);
  }

  @Test
  void badValuesNameTheProperty() {
    assertRefused("voicecall.dialogue.silence-timeout", "0s", "voicecall.dialogue.silence-timeout");
    assertRefused(
        "voicecall.dialogue.max-call-length", "-1s", "voicecall.dialogue.max-call-length");
    assertRefused("voicecall.dialogue.menu-size", "10", "menuSize must be 1..9");
    assertRefused("voicecall.dialogue.max-silences", "0", "maxSilences");
    assertRefused("voicecall.dialogue.barge-in-margin-db", "-3", "bargeInMarginDb");
  }

  private static void assertRefused(String key, String value, String message) {
    assertThatThrownBy(() -> bind(Map.of(key, value)))
        .as(key + "=" + value)
        .hasStackTraceContaining(message);
  }

  private static VoiceCallProperties.Dialogue bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("voicecall.dialogue", VoiceCallProperties.Dialogue.class);
  }
}
