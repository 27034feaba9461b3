package voicecall.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import voicecall.engine.stt.RemoteRecognizerConfig;

/** Binding {@code voicecall.stt.*} the way the application does, with its defaults. */
class SttPropertiesTest {

  @Test
  void defaultsHaveNoRemoteAndA30SecondLimit() {
    VoiceCallProperties.Stt stt = bind(Map.of());
    assertThat(stt.maxAudio()).isEqualTo(Duration.ofSeconds(30));
    assertThat(stt.remote().enabled()).isFalse();
    assertThat(stt.remote().toConfig("ko")).isNull();
    assertThat(stt.remote().toConfig("en")).isNull();
    assertThat(stt.remote().languages()).containsExactly("ko", "en");
    assertThat(stt.remote().toString()).contains("off");
    assertThat(stt.local().enabled()).isTrue();
    assertThat(stt.local().model()).isEqualTo(Path.of("/usr/share/pocketsphinx/model/en-us"));
    assertThat(stt.local().maxSessions()).isEqualTo(48);
  }

  @Test
  void theLocalRecogniserCanBeTurnedOffPointedAtAnotherModelOrBounded() {
    VoiceCallProperties.Stt stt =
        bind(
            Map.of(
                "voicecall.stt.local.enabled", "false",
                "voicecall.stt.local.model", "/opt/models/en-us-8k",
                "voicecall.stt.local.max-sessions", "100"));
    assertThat(stt.local().enabled()).isFalse();
    assertThat(stt.local().model()).isEqualTo(Path.of("/opt/models/en-us-8k"));
    assertThat(stt.local().maxSessions()).isEqualTo(100);
  }

  @Test
  void aBaseUrlTurnsTheRemoteOnPerLanguageWithTheHintAndAHiddenKey() {
    VoiceCallProperties.Stt stt =
        bind(
            Map.of(
                "voicecall.stt.remote.base-url", "https://stt.example",
                "voicecall.stt.remote.api-key", "sk-secret",
                "voicecall.stt.remote.languages", "ko",
                "voicecall.stt.remote.timeout", "1500ms",
                "voicecall.stt.remote.max-concurrent-requests", "4",
                "voicecall.stt.remote.response-format", "json"));

    RemoteRecognizerConfig ko = Objects.requireNonNull(stt.remote().toConfig("ko"));
    assertThat(ko.language()).isEqualTo("ko");
    assertThat(ko.apiKey()).isEqualTo("sk-secret");
    assertThat(ko.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(ko.maxConcurrentRequests()).isEqualTo(4);
    assertThat(ko.verbose()).isFalse();
    assertThat(stt.remote().toConfig("en")).as("English is not in languages").isNull();
    assertThat(stt.remote().toString()).doesNotContain("sk-secret").contains("***");
  }

  @Test
  void badValuesNameTheProperty() {
    assertRefused("voicecall.stt.remote.base-url", "ftp://stt.example", "voicecall.stt.remote");
    assertRefused("voicecall.stt.remote.timeout", "0s", "voicecall.stt.remote");
    assertRefused("voicecall.stt.remote.max-audio", "500ms", "voicecall.stt.remote");
    assertRefused("voicecall.stt.remote.max-concurrent-requests", "0", "voicecall.stt.remote");
    assertRefused("voicecall.stt.remote.languages", "de", "voicecall.stt.remote.languages");
    assertRefused("voicecall.stt.remote.response-format", "srt", "response-format");
    assertRefused("voicecall.stt.max-audio", "20m", "voicecall.stt.max-audio");
    assertRefused("voicecall.stt.local.model", "models/en-us", "voicecall.stt.local.model");
    assertRefused("voicecall.stt.local.max-sessions", "0", "voicecall.stt.local.max-sessions");
    assertRefused("voicecall.stt.local.max-sessions", "many", "voicecall.stt.local");
  }

  private static void assertRefused(String key, String value, String message) {
    assertThatThrownBy(() -> bind(Map.of(key, value)))
        .as(key + "=" + value)
        .hasStackTraceContaining(message);
  }

  private static VoiceCallProperties.Stt bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("voicecall.stt", VoiceCallProperties.Stt.class);
  }
}
