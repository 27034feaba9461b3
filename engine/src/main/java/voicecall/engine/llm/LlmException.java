package voicecall.engine.llm;

import org.jspecify.annotations.Nullable;

/** The chat endpoint failed or answered with something that is not a chat completion stream. */
public final class LlmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  LlmException(String message) {
    super(message);
  }

  LlmException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
