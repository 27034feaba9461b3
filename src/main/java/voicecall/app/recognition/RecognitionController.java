package voicecall.app.recognition;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.knowledge.AskReply;
import voicecall.app.recognition.Recording.BadRecording;
import voicecall.engine.stt.SpokenQuestionPolicy;
import voicecall.engine.stt.Transcript;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.Language;
import voicecall.tts.audio.PcmAudio;

/**
 * {@code POST /api/v1/recognise?lang=en|ko} with an {@code audio/wav} body (16-bit PCM, mono, 8 or
 * 16 kHz): the recording goes through the recogniser a call in that language gets and its
 * transcript through the decision a call makes: {@code POST /api/v1/ask}'s, tempered by the
 * recogniser's doubt ({@link SpokenQuestionPolicy}: a doubtful ANSWER is a CLARIFY). A recognition
 * that fails is shown as a call experiences it: an empty transcript and NONE ("please say that
 * again"), with the reason.
 */
@RestController
class RecognitionController {

  private static final List<MediaType> WAV =
      List.of(
          MediaType.parseMediaType("audio/wav"),
          MediaType.parseMediaType("audio/x-wav"),
          MediaType.parseMediaType("audio/wave"));

  /** Bytes of a WAV header and extra chunks allowed on top of the audio. */
  private static final int HEADER_SLACK = 64 * 1024;

  /** A whole request may take this long beyond the recording's own length. */
  private static final Duration MARGIN = Duration.ofSeconds(30);

  private final LanguageRecognizers recognizers;
  private final KnowledgeIndex index;
  private final Duration maxAudio;
  private final int maxBytes;

  RecognitionController(
      LanguageRecognizers recognizers, KnowledgeIndex index, VoiceCallProperties properties) {
    this.recognizers = recognizers;
    this.index = index;
    this.maxAudio = properties.stt().maxAudio();
    this.maxBytes = (int) Math.min(Integer.MAX_VALUE, maxAudio.toMillis() * 32 + HEADER_SLACK);
  }

  /**
   * What was heard and decided.
   *
   * @param transcript the recognised words (lower case), empty when nothing was recognised
   * @param confidence the transcript's confidence, 0–1
   * @param engine which recogniser chain served the language
   * @param audioMillis the recording's length
   * @param recognitionMillis from the recording received to the transcript
   * @param error why recognition failed, or null
   * @param noisyLine whether the recording sounded like a noisy line (the local recogniser decoded
   *     it with its noise-adapted model); a direct answer then needs more confident words
   * @param ask the decision, exactly as {@code POST /api/v1/ask} shows it
   */
  record Recognised(
      String transcript,
      double confidence,
      String engine,
      long audioMillis,
      long recognitionMillis,
      @Nullable String error,
      boolean noisyLine,
      AskReply ask) {}

  @PostMapping("/api/v1/recognise")
  Mono<Recognised> recognise(
      ServerHttpRequest request, @RequestParam(defaultValue = "") String lang) {
    return Mono.defer(
        () -> {
          Language language = language(lang);
          MediaType type = request.getHeaders().getContentType();
          if (type == null || WAV.stream().noneMatch(w -> w.isCompatibleWith(type))) {
            throw new BadRecording(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "content type "
                    + (type == null ? "(none)" : type.toString())
                    + " is not accepted here; send audio/wav");
          }
          if (request.getHeaders().getContentLength() > maxBytes) {
            throw tooLarge();
          }
          LanguageRecognizers.Route route =
              recognizers
                  .route(language.code())
                  .orElseThrow(
                      () ->
                          new BadRecording(
                              HttpStatus.SERVICE_UNAVAILABLE,
                              language == Language.KO
                                  ? "no Korean recogniser: set voicecall.stt.remote.base-url"
                                      + " (Korean calls get the DTMF menu)"
                                  : "no English recogniser yet: PocketSphinx is not installed or"
                                      + " still loading, and no remote recogniser is set"));
          return DataBufferUtils.join(request.getBody(), maxBytes)
              .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
              .map(
                  buffer -> {
                    try {
                      byte[] bytes = new byte[buffer.readableByteCount()];
                      buffer.read(bytes);
                      return bytes;
                    } finally {
                      DataBufferUtils.release(buffer);
                    }
                  })
              .switchIfEmpty(
                  Mono.error(() -> new BadRecording(HttpStatus.BAD_REQUEST, "the body is empty")))
              .map(bytes -> Recording.decode(bytes, maxAudio))
              .flatMap(audio -> recognise(route, audio, language));
        });
  }

  private Mono<Recognised> recognise(
      LanguageRecognizers.Route route, PcmAudio audio, Language language) {
    long start = System.nanoTime();
    return route
        .recognizer()
        .recognize(audio)
        .timeout(audio.duration().plus(MARGIN))
        .map(t -> decided(route, audio, t, null, start, language))
        .onErrorResume(
            e -> !(e instanceof BadRecording),
            e ->
                Mono.just(
                    decided(route, audio, null, String.valueOf(e.getMessage()), start, language)));
  }

  private Recognised decided(
      LanguageRecognizers.Route route,
      PcmAudio audio,
      @Nullable Transcript t,
      @Nullable String error,
      long start,
      Language language) {
    long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
    String text = t == null ? "" : t.text();
    // Decided as a call decides: the recogniser's doubt tempers the index's answer, and an empty
    // transcript is "not heard" (NONE) without asking the index.
    Answer answer =
        t == null
            ? new Answer(Decision.NONE, null, null, 0, List.of(), index.current().version())
            : recognizers.decide(index, t, language, RecognitionMetrics.RECOGNISE);
    return new Recognised(
        text,
        t == null ? 0 : t.confidence(),
        route.engine(),
        audio.duration().toMillis(),
        took,
        error,
        t != null && t.noisyLine(),
        AskReply.of(answer));
  }

  private static Language language(String code) {
    if (code.isBlank()) {
      throw new BadRecording(
          HttpStatus.BAD_REQUEST, "'lang' is required: en or ko, the language spoken");
    }
    return Language.fromCode(code.strip().toLowerCase(Locale.ROOT))
        .orElseThrow(
            () ->
                new BadRecording(
                    HttpStatus.BAD_REQUEST, "unknown language '" + code + "' (use en or ko)"));
  }

  private BadRecording tooLarge() {
    return new BadRecording(
        HttpStatus.CONTENT_TOO_LARGE,
        "the body is larger than "
            + maxBytes
            + " bytes ("
            + maxAudio.toSeconds()
            + " s of 16 kHz audio)");
  }

  @ExceptionHandler
  ProblemDetail badRecording(BadRecording e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(e.status(), String.valueOf(e.getMessage()));
    problem.setTitle(
        switch (e.status()) {
          case CONTENT_TOO_LARGE -> "Recording too large";
          case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
          case SERVICE_UNAVAILABLE -> "No recogniser";
          default -> "Bad recording";
        });
    problem.setType(URI.create("urn:voicecall:problem:recording"));
    return problem;
  }
}
