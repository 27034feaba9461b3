package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import voicecall.tts.audio.PcmAudio;

class OrderedSynthesisTest {

  private static final Voice EN = Voice.of(Language.ENGLISH);
  private static final String A = "Alpha.";
  private static final String B = "Bravo bravo.";
  private static final String C = "Charlie charlie charlie.";
  private static final String D = "Delta delta.";

  private static Predicate<PcmAudio> audioOf(String sentence) {
    return audio ->
        audio.sampleRate() == 8_000
            && audio.length() == ScriptedSynthesizer.samplesFor(sentence, 8_000);
  }

  private static OrderedSynthesis synthesis(Synthesizer synthesizer, int concurrency) {
    return OrderedSynthesis.builder(synthesizer).concurrency(concurrency).sampleRate(8_000).build();
  }

  @Test
  void audioComesOutInReadingOrderEvenWhenLaterSentencesFinishFirst() {
    ScriptedSynthesizer fake =
        new ScriptedSynthesizer(
            Map.of(A, Duration.ofMillis(300), B, Duration.ofMillis(100), C, Duration.ofMillis(200)),
            Duration.ZERO,
            Set.of());
    OrderedSynthesis synthesis = synthesis(fake, 3);

    StepVerifier.withVirtualTime(() -> synthesis.sentences(A + " " + B + " " + C, EN))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(299))
        .thenAwait(Duration.ofMillis(1))
        .expectNextMatches(audioOf(A))
        .expectNextMatches(audioOf(B))
        .expectNextMatches(audioOf(C))
        .verifyComplete();
    assertThat(fake.maxRunning.get()).isEqualTo(3);
  }

  @Test
  void firstSentenceIsEmittedAsSoonAsItIsReady() {
    ScriptedSynthesizer fake =
        new ScriptedSynthesizer(
            Map.of(A, Duration.ofMillis(100)), Duration.ofMillis(500), Set.of());
    OrderedSynthesis synthesis = synthesis(fake, 3);

    StepVerifier.withVirtualTime(() -> synthesis.sentences(A + " " + B + " " + C, EN))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNextMatches(audioOf(A))
        .expectNoEvent(Duration.ofMillis(399))
        .thenAwait(Duration.ofMillis(1))
        .expectNextMatches(audioOf(B))
        .expectNextMatches(audioOf(C))
        .verifyComplete();
  }

  @Test
  void concurrencyIsBoundedAndWallTimeIsNotTheSum() {
    ScriptedSynthesizer fake = new ScriptedSynthesizer(Map.of(), Duration.ofMillis(100), Set.of());
    OrderedSynthesis synthesis = synthesis(fake, 2);

    StepVerifier.withVirtualTime(() -> synthesis.sentences(A + " " + B + " " + C + " " + D, EN))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNextMatches(audioOf(A))
        .expectNextMatches(audioOf(B))
        .expectNoEvent(Duration.ofMillis(99))
        .thenAwait(Duration.ofMillis(1))
        .expectNextMatches(audioOf(C))
        .expectNextMatches(audioOf(D))
        .verifyComplete();
    assertThat(fake.maxRunning.get()).isEqualTo(2);
    assertThat(fake.started.get()).isEqualTo(4);
  }

  @Test
  void cancellingTheReplyCancelsRunningSynthesisAndStartsNoMore() {
    ScriptedSynthesizer fake = new ScriptedSynthesizer(Map.of(), Duration.ofSeconds(1), Set.of());
    OrderedSynthesis synthesis = synthesis(fake, 2);

    StepVerifier.withVirtualTime(() -> synthesis.sentences(A + " " + B + " " + C, EN))
        .expectSubscription()
        .thenAwait(Duration.ofMillis(100))
        .thenCancel()
        .verify();
    assertThat(fake.started.get()).isEqualTo(2);
    assertThat(fake.cancelled.get()).isEqualTo(2);
    assertThat(fake.running.get()).isZero();
  }

  @Test
  void framesAreEqualAndRunAcrossSentencesWithoutPadding() {
    ScriptedSynthesizer fake = ScriptedSynthesizer.instant();
    OrderedSynthesis synthesis = synthesis(fake, 2);
    int total = ScriptedSynthesizer.samplesFor(A, 8_000) + ScriptedSynthesizer.samplesFor(B, 8_000);

    List<PcmAudio> frames =
        synthesis.frames(A + " " + B, EN).collectList().blockOptional().orElseThrow();

    assertThat(frames).hasSize((total + 159) / 160).allMatch(f -> f.length() == 160);
    PcmAudio joined = frames.stream().reduce(PcmAudio::append).orElseThrow();
    PcmAudio expected =
        ScriptedSynthesizer.tone(ScriptedSynthesizer.samplesFor(A, 16_000), 16_000)
            .resampleTo(8_000)
            .append(
                ScriptedSynthesizer.tone(ScriptedSynthesizer.samplesFor(B, 16_000), 16_000)
                    .resampleTo(8_000));
    for (int i = 0; i < total; i++) {
      assertThat(joined.sample(i)).isEqualTo(expected.sample(i));
    }
    for (int i = total; i < joined.length(); i++) {
      assertThat(joined.sample(i)).isZero();
    }
  }

  @Test
  void eachCallCanHaveItsOwnRateAndTheCacheKeepsThemApart() {
    ScriptedSynthesizer fake = ScriptedSynthesizer.instant();
    OrderedSynthesis synthesis =
        OrderedSynthesis.builder(fake).cache(AudioCache.create(1 << 20)).concurrency(2).build();
    List<PcmAudio> narrow = synthesis.frames(A, EN).collectList().blockOptional().orElseThrow();
    List<PcmAudio> wide =
        synthesis.frames(A, EN, 16_000).collectList().blockOptional().orElseThrow();
    assertThat(narrow).allMatch(f -> f.sampleRate() == 8_000 && f.length() == 160);
    assertThat(wide).allMatch(f -> f.sampleRate() == 16_000 && f.length() == 320);
    assertThat(fake.started.get()).isEqualTo(2);
    synthesis.frames(A, EN, 16_000).blockLast();
    assertThat(fake.started.get()).isEqualTo(2);
    assertThatThrownBy(() -> synthesis.frames(A, EN, 11_025))
        .hasMessageContaining("whole number of samples");
  }

  @Test
  void emptyOrSymbolOnlyTextIsAClearError() {
    OrderedSynthesis synthesis = synthesis(ScriptedSynthesizer.instant(), 2);
    StepVerifier.create(synthesis.sentences("  ", EN))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reply text is empty"))
        .verify();
    StepVerifier.create(synthesis.frames("?! ... ***", EN))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nothing to say"))
        .verify();
  }

  @Test
  void aReplyThatIsTooLongIsAClearError() {
    OrderedSynthesis synthesis =
        OrderedSynthesis.builder(ScriptedSynthesizer.instant()).maxReplyChars(100).build();
    StepVerifier.create(synthesis.sentences("Hello there. ".repeat(10), EN))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reply text is too long: 130 characters, at most 100"))
        .verify();
  }

  @Test
  void unsupportedLanguageIsAClearError() {
    assertThatThrownBy(() -> Language.forTag("fr-FR"))
        .isInstanceOf(UnsupportedLanguageException.class)
        .hasMessageContaining("unsupported language 'fr-FR'");
    assertThat(Language.forTag("ko-KR")).isEqualTo(Language.KOREAN);
    assertThat(Language.forTag("EN_us")).isEqualTo(Language.ENGLISH);
    OrderedSynthesis englishOnly = synthesis(ScriptedSynthesizer.instant(), 2);
    StepVerifier.create(englishOnly.sentences("안녕하세요.", Voice.of(Language.KOREAN)))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(SynthesisException.class)
                    .hasMessageContaining("no synthesiser speaks KOREAN"))
        .verify();
  }

  @Test
  void aFailingReplyDoesNotDisturbAnotherReply() {
    ScriptedSynthesizer fake =
        new ScriptedSynthesizer(Map.of(), Duration.ofMillis(50), Set.of("Broken sentence."));
    OrderedSynthesis synthesis = synthesis(fake, 2);

    StepVerifier.withVirtualTime(
            () ->
                Flux.merge(
                    synthesis
                        .sentences(A + " Broken sentence.", EN)
                        .map(a -> "failing reply audio")
                        .onErrorResume(e -> Flux.just("failed: " + e.getMessage())),
                    synthesis.sentences(B + " " + C, EN).map(a -> "good reply audio")))
        .thenAwait(Duration.ofMillis(50))
        .expectNextCount(1)
        .expectNextMatches(s -> s.startsWith("failed: scripted failure"))
        .expectNext("good reply audio", "good reply audio")
        .verifyComplete();
  }

  @Test
  void builderRejectsBadSettings() {
    OrderedSynthesis.Builder builder = OrderedSynthesis.builder(ScriptedSynthesizer.instant());
    assertThatThrownBy(() -> builder.concurrency(0)).hasMessageContaining("concurrency");
    assertThatThrownBy(() -> builder.sampleRate(4_000)).hasMessageContaining("sample rate");
    assertThatThrownBy(() -> builder.sampleRate(11_025).frame(Duration.ofMillis(20)).build())
        .hasMessageContaining("whole number of samples");
  }
}
