package voicecall.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import voicecall.tts.RemoteSpeechConfig;

/** Binding {@code voicecall.tts.*} the way the application does, with its defaults. */
class TtsPropertiesTest {

  @Test
  void defaultsAreTelephonyRateCoresAndNoRemote() {
    VoiceCallProperties.Tts tts = bind(Map.of());

    assertThat(tts.sampleRate()).isEqualTo(8_000);
    assertThat(tts.cacheMaxBytes().toMegabytes()).isEqualTo(256);
    assertThat(tts.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(VoiceCallProperties.Tts.orCores(tts.concurrency()))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(VoiceCallProperties.Tts.orCores(3)).isEqualTo(3);
    assertThat(tts.prerender().enabled()).isTrue();
    assertThat(tts.prerender().concurrency()).isEqualTo(1);
    assertThat(tts.remote().enabled()).isFalse();
    assertThat(tts.remote().toConfig()).isNull();
  }

  @Test
  void aRemoteEndpointIsOnWithABaseUrlAndItsKeyIsNeverShown() {
    VoiceCallProperties.Tts tts =
        bind(
            Map.of(
                "voicecall.tts.remote.base-url", "https://speech.example",
                "voicecall.tts.remote.api-key", "sk-secret",
                "voicecall.tts.remote.timeout", "1500ms"));

    RemoteSpeechConfig remote = Objects.requireNonNull(tts.remote().toConfig());
    assertThat(remote.apiKey()).isEqualTo("sk-secret");
    assertThat(remote.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(tts.remote().toString()).doesNotContain("sk-secret").contains("***");
    assertThat(tts.toString()).doesNotContain("sk-secret");
  }

  @Test
  void badValuesNameTheProperty() {
    assertRefused("voicecall.tts.sample-rate", "11025", "voicecall.tts.sample-rate must be");
    assertRefused("voicecall.tts.sample-rate", "4000", "voicecall.tts.sample-rate must be");
    assertRefused("voicecall.tts.timeout", "0s", "voicecall.tts.timeout must be positive");
    assertRefused("voicecall.tts.concurrency", "-2", "voicecall.tts.concurrency must be");
    assertRefused("voicecall.tts.espeak-processes", "1000", "voicecall.tts.espeak-processes");
    assertRefused("voicecall.tts.cache-max-bytes", "0B", "voicecall.tts.cache-max-bytes");
    assertRefused(
        "voicecall.tts.prerender.concurrency", "0", "voicecall.tts.prerender.concurrency");
    assertRefused(
        "voicecall.tts.remote.base-url", "ftp://speech.example", "voicecall.tts.remote.base-url");
    assertRefused("voicecall.tts.remote.base-url", "http://", "voicecall.tts.remote.base-url");
  }

  private static void assertRefused(String key, String value, String message) {
    assertThatThrownBy(() -> bind(Map.of(key, value)))
        .as(key + "=" + value)
        .hasStackTraceContaining(message);
  }

  private static VoiceCallProperties.Tts bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("voicecall.tts", VoiceCallProperties.Tts.class);
  }
}
