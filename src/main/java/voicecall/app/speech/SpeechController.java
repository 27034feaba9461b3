package voicecall.app.speech;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import voicecall.app.config.VoiceCallProperties;
import voicecall.tts.Language;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.SynthesisException;
import voicecall.tts.UnsupportedLanguageException;
import voicecall.tts.Voice;
import voicecall.tts.audio.PcmAudio;
import voicecall.tts.audio.Wav;

/**
 * Admin endpoints to hear the speech output: {@code GET /api/v1/speech/preview?text=&lang=} returns
 * the text as a call would hear it (same synthesis, cache and sample rate) as {@code audio/wav};
 * {@code GET /api/v1/speech/prerender} shows where pre-rendering stands. Errors are RFC 9457
 * problem details.
 */
@RestController
class SpeechController {

  /** A preview is one reply; longer than this and it is not a preview any more. */
  private static final Duration PREVIEW_TIMEOUT = Duration.ofSeconds(20);

  private static final MediaType WAV = MediaType.parseMediaType("audio/wav");

  private final OrderedSynthesis synthesis;
  private final SpeechPrerender prerender;
  private final int maxChars;

  SpeechController(
      OrderedSynthesis synthesis, SpeechPrerender prerender, VoiceCallProperties properties) {
    this.synthesis = synthesis;
    this.prerender = prerender;
    this.maxChars = properties.knowledge().maxAnswerChars();
  }

  @GetMapping("/api/v1/speech/preview")
  Mono<ResponseEntity<byte[]>> preview(
      @RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "") String lang) {
    if (text.isBlank()) {
      return Mono.error(new BadSpeechRequest("'text' is required: what to say"));
    }
    if (text.length() > maxChars) {
      return Mono.error(
          new BadSpeechRequest(
              "'text' is longer than " + maxChars + " characters (the longest answer allowed)"));
    }
    Language language =
        lang.isBlank()
            ? Language.forTag(voicecall.rag.Language.detect(text).code())
            : Language.forTag(lang);
    return synthesis
        .sentences(text, Voice.of(language))
        .reduce(PcmAudio::append)
        .timeout(PREVIEW_TIMEOUT)
        .map(audio -> ResponseEntity.ok().contentType(WAV).body(Wav.encode(audio)));
  }

  @GetMapping("/api/v1/speech/prerender")
  ResponseEntity<PrerenderStatus> prerender() {
    PrerenderStatus status = prerender.latest();
    return status == null ? ResponseEntity.noContent().build() : ResponseEntity.ok(status);
  }

  @ExceptionHandler
  ProblemDetail badRequest(BadSpeechRequest e) {
    return problem(HttpStatus.BAD_REQUEST, "Bad request", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler
  ProblemDetail unsupported(UnsupportedLanguageException e) {
    return problem(HttpStatus.BAD_REQUEST, "Unsupported language", String.valueOf(e.getMessage()));
  }

  /** The speech library's refusals: empty after normalisation, nothing speakable. */
  @ExceptionHandler
  ProblemDetail unspeakable(IllegalArgumentException e) {
    return problem(HttpStatus.BAD_REQUEST, "Nothing to say", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler
  ProblemDetail synthesis(SynthesisException e) {
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE, "Speech synthesis failed", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler
  ProblemDetail timeout(TimeoutException e) {
    return problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Speech synthesis too slow",
        "no audio within " + PREVIEW_TIMEOUT.toSeconds() + " s");
  }

  private static ProblemDetail problem(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("urn:voicecall:problem:speech"));
    return problem;
  }

  /** Input to the preview that cannot be spoken. */
  static final class BadSpeechRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadSpeechRequest(String message) {
      super(message);
    }
  }
}
