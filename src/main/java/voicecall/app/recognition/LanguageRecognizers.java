package voicecall.app.recognition;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voicecall.app.config.VoiceCallProperties;
import voicecall.engine.stt.PocketSphinxRecognizer;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Recognizers;
import voicecall.engine.stt.RemoteRecognizerConfig;
import voicecall.engine.stt.SpokenQuestionPolicy;
import voicecall.engine.stt.Transcript;
import voicecall.rag.Answer;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;

/**
 * The recogniser for a call's language:
 *
 * <ul>
 *   <li>English: the remote endpoint with the local recogniser as fallback when both exist, else
 *       whichever exists;
 *   <li>Korean: the remote endpoint when configured for Korean, else none (there is no local Korean
 *       model: such calls get the DTMF menu).
 * </ul>
 *
 * Every engine is measured per utterance ({@code voicecall.stt.recognition}), and {@link #decide}
 * makes the decision on a call's transcript, counting the confirmations that only the noisy-line
 * threshold asked for ({@code voicecall.stt.noisy.line.confirmations}). The local English
 * recogniser is registered by whoever builds it ({@link #useLocalEnglish}), once PocketSphinx and
 * its model are ready; until then English has the remote one only, if any.
 */
public final class LanguageRecognizers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LanguageRecognizers.class);

  /** The name of the local engine in metrics. */
  static final String LOCAL = "pocketsphinx";

  /** The name of the remote engine in metrics. */
  static final String REMOTE = "remote";

  private final RecognitionMetrics records;
  private final @Nullable Recognizer remoteEnglish;
  private final @Nullable Recognizer remoteKorean;
  private final AtomicReference<@Nullable Recognizer> localEnglish = new AtomicReference<>();

  /** A language's recogniser as it is chained, before failures become empty transcripts. */
  record Route(String engine, Recognizer recognizer) {}

  LanguageRecognizers(VoiceCallProperties.RemoteStt remote, RecognitionMetrics records) {
    this.records = records;
    this.remoteEnglish = remote(remote.toConfig("en"));
    this.remoteKorean = remote(remote.toConfig("ko"));
    if (remote.enabled()) {
      log.info("remote recogniser {} for {}", remote.baseUrl(), remote.languages());
    }
  }

  private @Nullable Recognizer remote(@Nullable RemoteRecognizerConfig config) {
    return config == null
        ? null
        : Recognizers.measured(Recognizers.remote(config), REMOTE, records);
  }

  /**
   * Registers the local English recogniser (PocketSphinx), measured from now on, its native
   * decoders included ({@code voicecall.stt.decoders}). Its owner keeps it: closing this object
   * does not close it.
   *
   * @param local the recogniser
   */
  public void useLocalEnglish(Recognizer local) {
    if (local instanceof PocketSphinxRecognizer pocketSphinx) {
      records.decoders(pocketSphinx, LOCAL);
    }
    localEnglish.set(Recognizers.measured(local, LOCAL, records));
  }

  /**
   * The recogniser for a call's language, ready for a dialogue: a failed utterance (timeout, HTTP
   * error, malformed answer, every engine down) comes out as an empty transcript, so the caller is
   * asked again and the call goes on.
   *
   * @param languageTag the call's language, e.g. {@code en}, {@code en-US}, {@code ko}
   * @return the recogniser, or empty when none serves that language
   */
  public Optional<Recognizer> forLanguage(String languageTag) {
    return route(languageTag).map(r -> Recognizers.emptyOnFailure(r.recognizer()));
  }

  /**
   * Decides on a call's transcript as every call does ({@link SpokenQuestionPolicy#DEFAULT}: the
   * index's answer tempered by the recogniser's doubt) and counts a confirmation that only the
   * noisy-line threshold asked for.
   *
   * @param index the knowledge index to ask
   * @param transcript what the recogniser heard
   * @param language the caller's language
   * @return the decision
   */
  public Answer decide(KnowledgeIndex index, Transcript transcript, Language language) {
    return decide(index, transcript, language, RecognitionMetrics.CALL);
  }

  /**
   * {@link #decide(KnowledgeIndex, Transcript, Language)}, counted under another source.
   *
   * @param source {@link RecognitionMetrics#CALL} or {@link RecognitionMetrics#RECOGNISE}
   */
  Answer decide(KnowledgeIndex index, Transcript transcript, Language language, String source) {
    SpokenQuestionPolicy.Decided decided =
        SpokenQuestionPolicy.DEFAULT.decide(index, transcript, language);
    records.decided(decided, language, source);
    return decided.answer();
  }

  /**
   * The chained recogniser for a language, whose failures still come out as errors.
   *
   * @param languageTag the language
   * @return the route, or empty when none serves that language
   */
  Optional<Route> route(String languageTag) {
    String lang = languageTag.toLowerCase(Locale.ROOT);
    if (lang.startsWith("ko")) {
      Recognizer remote = remoteKorean;
      return remote == null ? Optional.empty() : Optional.of(new Route(REMOTE, remote));
    }
    if (!lang.startsWith("en")) {
      return Optional.empty();
    }
    Recognizer remote = remoteEnglish;
    Recognizer local = localEnglish.get();
    if (remote != null && local != null) {
      return Optional.of(new Route(REMOTE + "+" + LOCAL, Recognizers.withFallback(remote, local)));
    }
    if (remote != null) {
      return Optional.of(new Route(REMOTE, remote));
    }
    return local == null ? Optional.empty() : Optional.of(new Route(LOCAL, local));
  }

  /** Closes the remote recognisers; the local one belongs to whoever registered it. */
  @Override
  public void close() {
    if (remoteEnglish != null) {
      remoteEnglish.close();
    }
    if (remoteKorean != null) {
      remoteKorean.close();
    }
  }
}
