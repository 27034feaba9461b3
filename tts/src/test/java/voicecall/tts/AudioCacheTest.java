package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class AudioCacheTest {

  private static final Voice EN = Voice.of(Language.ENGLISH);
  private static final String REPLY = "Your bill is ready. It is due on Friday. Thank you.";

  @Test
  void aRepeatedReplyIsServedFromTheCacheWithoutSynthesis() {
    ScriptedSynthesizer fake = ScriptedSynthesizer.instant();
    AudioCache cache = AudioCache.create(10_000_000);
    OrderedSynthesis synthesis = OrderedSynthesis.builder(fake).cache(cache).build();

    StepVerifier.create(synthesis.sentences(REPLY, EN)).expectNextCount(3).verifyComplete();
    assertThat(fake.started.get()).isEqualTo(3);
    assertThat(cache.stats().misses()).isEqualTo(3);
    assertThat(cache.stats().hits()).isZero();

    StepVerifier.create(synthesis.sentences(REPLY, EN)).expectNextCount(3).verifyComplete();
    assertThat(fake.started.get()).isEqualTo(3);
    AudioCacheStats stats = cache.stats();
    assertThat(stats.hits()).isEqualTo(3);
    assertThat(stats.hitRate()).isEqualTo(0.5);
    assertThat(stats.entries()).isEqualTo(3);
    assertThat(stats.bytes()).isPositive().isLessThanOrEqualTo(stats.maxBytes());
  }

  @Test
  void keyIsVoiceAndNormalisedSentence() {
    ScriptedSynthesizer fake = ScriptedSynthesizer.instant();
    AudioCache cache = AudioCache.create(10_000_000);
    OrderedSynthesis synthesis = OrderedSynthesis.builder(fake).cache(cache).build();

    synthesis.sentences("It costs $10.", EN).blockLast();
    // Written differently, spoken the same: one entry.
    synthesis.sentences("It costs ten dollars.", EN).blockLast();
    assertThat(fake.started.get()).isEqualTo(1);
    assertThat(cache.contains(EN, "It costs ten dollars.", 8_000)).isTrue();
    // Another voice is another entry.
    synthesis.sentences("It costs $10.", new Voice(Language.ENGLISH, "other")).blockLast();
    assertThat(fake.started.get()).isEqualTo(2);
  }

  @Test
  void theByteCapIsKeptByEvicting() {
    ScriptedSynthesizer fake = ScriptedSynthesizer.instant();
    // Each sentence is about 20 characters = 200 ms = 3 200 bytes at 8 kHz.
    AudioCache cache = AudioCache.create(10_000);
    OrderedSynthesis synthesis = OrderedSynthesis.builder(fake).cache(cache).build();
    for (int i = 0; i < 20; i++) {
      synthesis.sentences("This is sentence " + i + ".", EN).blockLast();
    }
    AudioCacheStats stats = cache.stats();
    assertThat(stats.evictions()).isPositive();
    assertThat(stats.bytes()).isLessThanOrEqualTo(10_000);
    assertThat(stats.entries()).isLessThan(20);
    assertThatThrownBy(() -> AudioCache.create(0)).hasMessageContaining("positive");
  }

  @Test
  void prerenderFillsTheCacheSoAnswersNeedNoSynthesis() {
    ScriptedSynthesizer fake = ScriptedSynthesizer.instant();
    AudioCache cache = AudioCache.create(10_000_000);
    OrderedSynthesis synthesis = OrderedSynthesis.builder(fake).cache(cache).build();
    List<String> answers =
        List.of(REPLY, "Your data resets on the 1st. Thank you.", "Please hold.");

    StepVerifier.create(synthesis.prerender(answers, EN))
        .assertNext(
            report -> {
              // 3 + 2 + 1 sentences, "Thank you." counted once
              assertThat(report.sentences()).isEqualTo(5);
              assertThat(report.rendered()).isEqualTo(5);
              assertThat(report.alreadyCached()).isZero();
              assertThat(report.failures()).isEmpty();
            })
        .verifyComplete();
    assertThat(fake.started.get()).isEqualTo(5);

    StepVerifier.create(synthesis.sentences("Your data resets on the 1st. Thank you.", EN))
        .expectNextCount(2)
        .verifyComplete();
    assertThat(fake.started.get()).isEqualTo(5);

    StepVerifier.create(synthesis.prerender(answers, EN))
        .assertNext(report -> assertThat(report.alreadyCached()).isEqualTo(5))
        .verifyComplete();
  }

  @Test
  void prerenderReportsFailuresAndKeepsGoing() {
    ScriptedSynthesizer fake =
        new ScriptedSynthesizer(Map.of(), Duration.ZERO, Set.of("This one breaks."));
    AudioCache cache = AudioCache.create(10_000_000);
    OrderedSynthesis synthesis = OrderedSynthesis.builder(fake).cache(cache).build();
    StepVerifier.create(
            synthesis.prerender(List.of("Hello there.", "This one breaks.", "Goodbye."), EN))
        .assertNext(
            report -> {
              assertThat(report.rendered()).isEqualTo(2);
              assertThat(report.failures())
                  .singleElement()
                  .asString()
                  .contains("This one breaks.")
                  .contains("scripted failure");
            })
        .verifyComplete();
    assertThat(cache.contains(EN, "Goodbye.", 8_000)).isTrue();
  }

  @Test
  void prerenderWithoutACacheIsRefused() {
    OrderedSynthesis synthesis = OrderedSynthesis.builder(ScriptedSynthesizer.instant()).build();
    assertThatThrownBy(() -> synthesis.prerender(List.of("Hi."), EN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audio cache");
  }
}
