package voicecall.tts.jmh;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import voicecall.tts.AudioCache;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.SentenceSplitter;
import voicecall.tts.SpeechText;
import voicecall.tts.Synthesizer;
import voicecall.tts.Synthesizers;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;

/**
 * Speech output timings with the real engines: time per sentence for each synthesiser, time to
 * the first audio of a four-sentence reply against the first sentence alone, a whole reply with
 * one sentence at a time (k = 1, about the sum of the sentences) and with k = cores, and the first
 * audio of a cached reply. Sample mode, so JMH reports p50, p95 and p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class SpeechOutputBenchmark {

  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final Voice EN = Voice.of(Language.ENGLISH);
  private static final Voice KO = Voice.of(Language.KOREAN);

  static final String ENGLISH_REPLY =
      "Your new plan starts on the first of next month. It includes fifty gigabytes of data and"
          + " unlimited calls. If you use it all, your speed drops to one megabit per second."
          + " You can buy more data in the app at any time.";
  static final String KOREAN_REPLY =
      "변경하신 요금제는 다음 달 1일부터 적용됩니다. 데이터 50GB와 무제한 통화가 포함되어 있습니다."
          + " 데이터를 모두 쓰시면 속도가 1Mbps로 제한됩니다. 추가 데이터는 앱에서 언제든지 구매하실 수 있어요.";

  private Synthesizer freeTts = Synthesizers.freeTts(CORES);
  private Synthesizer espeak = Synthesizers.espeakNg(CORES);
  private Synthesizer chain = freeTts;
  private OrderedSynthesis k1 = OrderedSynthesis.builder(freeTts).build();
  private OrderedSynthesis kCores = k1;
  private OrderedSynthesis cached = k1;
  private List<String> englishSentences = List.of();
  private List<String> koreanSentences = List.of();
  private int next;

  /** Starts the engines and fills the cache of the cached synthesis. */
  @Setup(Level.Trial)
  public void setUp() {
    freeTts = Synthesizers.freeTts(CORES);
    espeak = Synthesizers.espeakNg(CORES);
    chain = Synthesizers.withFallback(Duration.ofSeconds(5), List.of(freeTts, espeak));
    k1 = OrderedSynthesis.builder(chain).concurrency(1).build();
    kCores = OrderedSynthesis.builder(chain).concurrency(CORES).build();
    cached =
        OrderedSynthesis.builder(chain).cache(AudioCache.create(64L << 20)).concurrency(CORES).build();
    cached.prerender(List.of(ENGLISH_REPLY), EN).block();
    cached.prerender(List.of(KOREAN_REPLY), KO).block();
    englishSentences = spoken(ENGLISH_REPLY, Language.ENGLISH);
    koreanSentences = spoken(KOREAN_REPLY, Language.KOREAN);
  }

  private static List<String> spoken(String reply, Language language) {
    return SentenceSplitter.create().split(reply, language).stream()
        .map(s -> SpeechText.normalise(s, language))
        .toList();
  }

  /** Stops the engines. */
  @TearDown(Level.Trial)
  public void tearDown() {
    chain.close();
  }

  private String nextOf(List<String> sentences) {
    next = (next + 1) % sentences.size();
    return sentences.get(next);
  }

  private static PcmAudio await(reactor.core.publisher.Mono<PcmAudio> audio) {
    return audio.blockOptional(Duration.ofSeconds(30)).orElseThrow();
  }

  /**
   * FreeTTS, one English sentence of the reply (round robin).
   *
   * @return the audio
   */
  @Benchmark
  public PcmAudio sentenceFreeTtsEnglish() {
    return await(freeTts.synthesize(nextOf(englishSentences), EN));
  }

  /**
   * espeak-ng, one English sentence of the reply (round robin).
   *
   * @return the audio
   */
  @Benchmark
  public PcmAudio sentenceEspeakEnglish() {
    return await(espeak.synthesize(nextOf(englishSentences), EN));
  }

  /**
   * espeak-ng, one Korean sentence of the reply (round robin).
   *
   * @return the audio
   */
  @Benchmark
  public PcmAudio sentenceEspeakKorean() {
    return await(espeak.synthesize(nextOf(koreanSentences), KO));
  }

  /**
   * An espeak-ng process that says nothing: what a pool of long-lived processes could save at
   * most per sentence.
   *
   * @return the exit code
   * @throws IOException if the process cannot start
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  public int espeakProcessStartOnly() throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("espeak-ng", "-v", "ko", "-q", "")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return process.waitFor();
  }

  /**
   * First sentence of the English reply alone, through the fallback chain, resampled and trimmed
   * like a reply: the floor for the first audio.
   *
   * @return the audio
   */
  @Benchmark
  public PcmAudio firstSentenceAloneEnglish() {
    return await(
        chain
            .synthesize(englishSentences.get(0), EN)
            .map(a -> a.resampleTo(8_000).trimSilence(-50, Duration.ofMillis(30))));
  }

  /**
   * First audio of the four-sentence English reply, k = cores; the rest is cancelled.
   *
   * @return the first audio
   */
  @Benchmark
  public PcmAudio firstAudioReplyEnglish() {
    return await(kCores.sentences(ENGLISH_REPLY, EN).next());
  }

  /**
   * The whole English reply, one sentence at a time (about the sum of the sentences).
   *
   * @return the last audio
   */
  @Benchmark
  public PcmAudio wholeReplyEnglishK1() {
    return await(k1.sentences(ENGLISH_REPLY, EN).last());
  }

  /**
   * The whole English reply, k = cores.
   *
   * @return the last audio
   */
  @Benchmark
  public PcmAudio wholeReplyEnglishKCores() {
    return await(kCores.sentences(ENGLISH_REPLY, EN).last());
  }

  /**
   * First sentence of the Korean reply alone, as {@link #firstSentenceAloneEnglish}.
   *
   * @return the audio
   */
  @Benchmark
  public PcmAudio firstSentenceAloneKorean() {
    return await(
        chain
            .synthesize(koreanSentences.get(0), KO)
            .map(a -> a.resampleTo(8_000).trimSilence(-50, Duration.ofMillis(30))));
  }

  /**
   * First audio of the four-sentence Korean reply, k = cores.
   *
   * @return the first audio
   */
  @Benchmark
  public PcmAudio firstAudioReplyKorean() {
    return await(kCores.sentences(KOREAN_REPLY, KO).next());
  }

  /**
   * The whole Korean reply, one sentence at a time.
   *
   * @return the last audio
   */
  @Benchmark
  public PcmAudio wholeReplyKoreanK1() {
    return await(k1.sentences(KOREAN_REPLY, KO).last());
  }

  /**
   * The whole Korean reply, k = cores.
   *
   * @return the last audio
   */
  @Benchmark
  public PcmAudio wholeReplyKoreanKCores() {
    return await(kCores.sentences(KOREAN_REPLY, KO).last());
  }

  /**
   * First audio of a pre-rendered reply (cache hit).
   *
   * @return the first audio
   */
  @Benchmark
  public PcmAudio firstAudioCachedReply() {
    return await(cached.sentences(KOREAN_REPLY, KO).next());
  }
}
