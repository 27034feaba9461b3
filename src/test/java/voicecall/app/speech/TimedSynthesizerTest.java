package voicecall.app.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import voicecall.tts.Language;
import voicecall.tts.Voice;

class TimedSynthesizerTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TimedSynthesizer timed = new TimedSynthesizer(new FakeSpeech(), registry);

  @Test
  void eachOutcomeIsTimedPerSynthesiserAndLanguage() {
    StepVerifier.create(timed.synthesize("Hello there.", Voice.of(Language.ENGLISH)))
        .expectNextCount(1)
        .verifyComplete();
    StepVerifier.create(timed.synthesize("FAIL now", Voice.of(Language.KOREAN)))
        .expectError(IllegalStateException.class)
        .verify();
    StepVerifier.create(timed.synthesize("HANG on", Voice.of(Language.ENGLISH)))
        .expectSubscription()
        .thenCancel()
        .verify(Duration.ofSeconds(5));

    assertThat(count("en", "success")).isEqualTo(1);
    assertThat(count("ko", "error")).isEqualTo(1);
    assertThat(count("en", "cancelled")).isEqualTo(1);
    assertThat(timed.name()).isEqualTo("fake");
  }

  @Test
  void nothingIsRecordedUntilSubscribed() {
    timed.synthesize("Hello there.", Voice.of(Language.ENGLISH));

    assertThat(registry.find(TimedSynthesizer.METRIC).timers()).isEmpty();
  }

  private long count(String language, String outcome) {
    return registry
        .get(TimedSynthesizer.METRIC)
        .tag("synthesizer", "fake")
        .tag("language", language)
        .tag("outcome", outcome)
        .timer()
        .count();
  }
}
