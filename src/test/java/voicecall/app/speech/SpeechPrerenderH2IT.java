package voicecall.app.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import voicecall.app.TestDatabases;
import voicecall.app.VoiceCallApplication;
import voicecall.app.config.VoiceCallProperties;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeIndex;
import voicecall.tts.AudioCache;
import voicecall.tts.AudioCacheStats;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.SpeechText;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * The speech wiring in the running application on H2, with the real FreeTTS and espeak-ng: after
 * start and after an upload, every answer of the active version and every prompt in both languages
 * is in the audio cache as real speech at the call's rate; the cache and synthesis meters are
 * scraped; the preview endpoint speaks and refuses bad input; a bad synthesiser setting stops the
 * start with a message naming it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpeechPrerenderH2IT {

  private static final Duration PRERENDER_WAIT = Duration.ofMinutes(3);
  private static final ParameterizedTypeReference<Map<String, Object>> MAP =
      new ParameterizedTypeReference<>() {};

  @LocalServerPort int port;
  @Autowired KnowledgeIndex index;
  @Autowired SpeechPrerender prerender;
  @Autowired OrderedSynthesis synthesis;
  @Autowired AudioCache cache;
  @Autowired VoiceCallProperties properties;

  WebTestClient http;

  @DynamicPropertySource
  static void h2(DynamicPropertyRegistry registry) {
    TestDatabases.useFreshH2(registry, "voicecall-speech-it");
  }

  /** Korean needs espeak-ng: skipped without it, except under CI, where that fails. */
  @BeforeAll
  static void espeakNgInstalled() {
    boolean installed;
    try {
      Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      installed = p.waitFor() == 0;
    } catch (IOException e) {
      installed = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      installed = false;
    }
    if (!installed && "true".equals(System.getenv("CI"))) {
      fail("CI must install espeak-ng (apt-get install espeak-ng)");
    }
    assumeTrue(installed, "espeak-ng is not installed (apt-get install espeak-ng)");
  }

  @BeforeEach
  void client() {
    http = TestDatabases.http(port);
  }

  @Test
  void theActiveVersionAndThePromptsArePrerenderedAtStart() {
    long version = index.current().version();
    PrerenderStatus status = awaitDone(version);
    assertThat(status.answers()).isEqualTo(index.current().entries().size()).isPositive();
    assertThat(status.prompts()).isEqualTo(22);
    assertThat(status.sentences()).isGreaterThan(status.answers());

    for (Entry entry : index.current().entries()) {
      assertPrerenderedSpeech(entry.answer(), language(entry));
    }
    for (Language language : Language.values()) {
      for (String prompt : PrerenderPlan.promptsOf(properties.tts().prompts(), language).all()) {
        assertPrerenderedSpeech(prompt, language);
      }
    }
  }

  @Test
  void anUploadAndARollbackArePrerenderedInTheBackground() {
    long before = index.current().version();
    awaitDone(before);
    String csv =
        "id,question,answer,lang\n"
            + "eta,When will my parcel arrive?,\"Parcels sent before noon arrive the next working"
            + " day. Tracking details come by text message.\",en\n"
            + "refund,How long does a refund take?,\"A refund reaches your card within five"
            + " working days of the return.\",en\n"
            + "ko-eta,택배는 언제 도착하나요?,오전에 보낸 택배는 다음 영업일에 도착합니다. 배송 조회는 문자로"
            + " 보내 드립니다.,ko\n"
            + "ko-refund,환불은 얼마나 걸리나요?,환불은 반품 후 영업일 기준 오 일 안에 카드로 들어갑니다.,ko\n";
    Map<String, Object> uploaded =
        http.put()
            .uri("/api/v1/knowledge")
            .contentType(MediaType.parseMediaType("text/csv"))
            .bodyValue(csv)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    long version =
        ((Number) Objects.requireNonNull(Objects.requireNonNull(uploaded).get("version")))
            .longValue();

    PrerenderStatus status = awaitDone(version);
    assertThat(status.answers()).isEqualTo(4);
    // The answers are new text, so some sentences had to be synthesised now.
    assertThat(status.rendered()).isPositive();
    for (Entry entry : index.current().entries()) {
      assertPrerenderedSpeech(entry.answer(), language(entry));
    }
    http.get()
        .uri("/api/v1/speech/prerender")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.version")
        .isEqualTo(version)
        .jsonPath("$.state")
        .isEqualTo("DONE");

    http.post()
        .uri("/api/v1/knowledge/versions/{n}/activate", before)
        .exchange()
        .expectStatus()
        .isOk();
    PrerenderStatus rolledBack = awaitDone(before);
    assertThat(rolledBack.answers()).isEqualTo(index.current().entries().size());
    for (Entry entry : index.current().entries()) {
      assertPrerenderedSpeech(entry.answer(), language(entry));
    }
  }

  @Test
  void prometheusShowsTheCacheSynthesisAndPrerenderMeters() {
    awaitDone(index.current().version());
    String scrape = TestDatabases.prometheus(http);
    assertThat(scrape)
        .contains("voicecall_tts_cache_hits_total")
        .contains("voicecall_tts_cache_misses_total")
        .contains("voicecall_tts_cache_evictions_total")
        .contains("voicecall_tts_cache_entries")
        .contains("voicecall_tts_cache_bytes")
        .contains("voicecall_tts_cache_max_bytes")
        .contains("voicecall_tts_prerender_sentences_total{")
        .contains("voicecall_tts_prerender_runs_total{")
        .contains("voicecall_tts_prerender_duration_seconds_count")
        .containsPattern(
            "voicecall_tts_synthesis_seconds_count\\{[^}]*language=\"en\"[^}]*"
                + "synthesizer=\"freetts\"[^}]*\\} [1-9]")
        .containsPattern(
            "voicecall_tts_synthesis_seconds_count\\{[^}]*language=\"ko\"[^}]*"
                + "synthesizer=\"espeak-ng\"[^}]*\\} [1-9]");
    AudioCacheStats stats = cache.stats();
    assertThat(scrape).containsPattern("voicecall_tts_cache_entries\\{[^}]*\\} [1-9]");
    assertThat(stats.entries()).isPositive();
  }

  @Test
  void thePreviewSpeaksTheTextAsACallWouldHearIt() {
    byte[] wav =
        http.get()
            .uri("/api/v1/speech/preview?text={t}&lang=ko", "요금제는 앱에서 바꾸실 수 있습니다.")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType("audio/wav")
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    PcmAudio audio = Wav.decode(Objects.requireNonNull(wav));
    assertThat(audio.sampleRate()).isEqualTo(properties.tts().sampleRate());
    assertSpeech(audio, "요금제는 앱에서 바꾸실 수 있습니다.", Language.KOREAN);

    String[][] refused = {{"", "en"}, {"hello", "fr"}, {"a".repeat(601), "en"}, {"!!! ...", "en"}};
    for (String[] query : refused) {
      http.get()
          .uri("/api/v1/speech/preview?text={t}&lang={l}", query[0], query[1])
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.detail")
          .isNotEmpty();
    }
  }

  @Test
  void aBadSynthesiserSettingStopsTheStartNamingIt() throws IOException {
    String dataDir = Files.createTempDirectory("voicecall-speech-bad").toString();
    Map<String, String> bad =
        Map.of(
            "--voicecall.tts.sample-rate=12345", "voicecall.tts.sample-rate must be",
            "--voicecall.tts.remote.base-url=ftp://speech.example", "voicecall.tts.remote.base-url",
            "--voicecall.tts.freetts-workers=-1", "voicecall.tts.freetts-workers must be");
    bad.forEach(
        (argument, message) ->
            assertThatThrownBy(
                    () ->
                        new SpringApplicationBuilder(VoiceCallApplication.class)
                            .run("--server.port=0", "--voicecall.data-dir=" + dataDir, argument)
                            .close())
                .as(argument)
                .rootCause()
                .hasMessageContaining(message));
  }

  private PrerenderStatus awaitDone(long version) {
    PrerenderStatus status =
        prerender
            .statuses()
            .filter(s -> s.version() == version && s.finished())
            .blockFirst(PRERENDER_WAIT);
    assertThat(status).isNotNull();
    assertThat(Objects.requireNonNull(status).state()).isEqualTo(PrerenderStatus.State.DONE);
    assertThat(status.failures()).isEmpty();
    return status;
  }

  /**
   * Speaks the text through the application's synthesis and checks every sentence came from the
   * cache (hits rise by the number of sentences, misses do not rise) and is speech.
   */
  private void assertPrerenderedSpeech(String text, Language language) {
    AudioCacheStats before = cache.stats();
    List<PcmAudio> sentences =
        Objects.requireNonNull(
            synthesis
                .sentences(text, Voice.of(language))
                .collectList()
                .block(Duration.ofSeconds(30)));
    AudioCacheStats after = cache.stats();
    assertThat(sentences).as(text).isNotEmpty();
    assertThat(after.hits() - before.hits())
        .as("cache hits for " + text)
        .isEqualTo(sentences.size());
    assertThat(after.misses() - before.misses()).as("cache misses for " + text).isZero();
    PcmAudio whole = sentences.get(0);
    for (PcmAudio sentence : sentences.subList(1, sentences.size())) {
      whole = whole.append(sentence);
    }
    assertThat(whole.sampleRate()).isEqualTo(8_000);
    assertSpeech(whole, text, language);
  }

  /** Speech: louder than silence and about as long as a person takes to say the text. */
  private static void assertSpeech(PcmAudio audio, String text, Language language) {
    String spoken = SpeechText.normalise(text, language);
    long units = spoken.codePoints().filter(Character::isLetterOrDigit).count();
    // Hangul syllables are spoken slower per character than Latin letters.
    double minSecondsPerUnit = language == Language.KOREAN ? 0.05 : 0.02;
    double maxSecondsPerUnit = language == Language.KOREAN ? 0.4 : 0.2;
    double seconds = audio.duration().toMillis() / 1000.0;
    assertThat(audio.rmsDbfs()).as("level of " + text).isGreaterThan(-40);
    assertThat(seconds)
        .as("duration of " + text + " (" + units + " letters)")
        .isBetween(units * minSecondsPerUnit, units * maxSecondsPerUnit + 1.0);
  }

  private static Language language(Entry entry) {
    return Language.forTag(entry.language().code());
  }
}
