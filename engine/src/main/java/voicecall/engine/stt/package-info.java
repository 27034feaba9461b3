/**
 * Local English speech recognition: PocketSphinx through JNA with a domain language model built
 * from the active knowledge base.
 *
 * <p>{@link voicecall.engine.stt.Recognizer} opens one {@link
 * voicecall.engine.stt.RecognitionSession} per call. The session decodes the caller's audio while
 * they speak, so only finalisation remains when the end of speech is detected, and returns a {@link
 * voicecall.engine.stt.Transcript}.
 */
@NullMarked
package voicecall.engine.stt;

import org.jspecify.annotations.NullMarked;
