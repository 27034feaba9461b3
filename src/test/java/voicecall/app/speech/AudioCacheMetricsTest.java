package voicecall.app.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import voicecall.tts.AudioCache;
import voicecall.tts.Language;
import voicecall.tts.Voice;

class AudioCacheMetricsTest {

  @Test
  void theMetersFollowTheCache() {
    AudioCache cache = AudioCache.create(4_000);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new AudioCacheMetrics(cache).bindTo(registry);
    Voice voice = Voice.of(Language.ENGLISH);

    cache.put(voice, "one", FakeSpeech.tone(Duration.ofMillis(50)).resampleTo(8_000));
    cache.get(voice, "one", 8_000);
    cache.get(voice, "two", 8_000);
    cache.get(voice, "three", 8_000);

    assertThat(registry.get("voicecall.tts.cache.hits").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("voicecall.tts.cache.misses").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("voicecall.tts.cache.entries").gauge().value()).isEqualTo(1);
    assertThat(registry.get("voicecall.tts.cache.bytes").gauge().value()).isGreaterThan(800);
    assertThat(registry.get("voicecall.tts.cache.max.bytes").gauge().value()).isEqualTo(4_000);

    // 50 ms at 8 kHz is 800 bytes: a few more do not fit under 4000 bytes.
    for (int i = 0; i < 8; i++) {
      cache.put(voice, "more " + i, FakeSpeech.tone(Duration.ofMillis(50)).resampleTo(8_000));
    }
    assertThat(registry.get("voicecall.tts.cache.evictions").functionCounter().count())
        .isPositive();
    assertThat(registry.get("voicecall.tts.cache.bytes").gauge().value())
        .isLessThanOrEqualTo(4_000);
  }
}
