/**
 * The call pipeline: audio, voice activity, recognition and dialogue; free of Spring, Netty and
 * databases.
 */
@NullMarked
package voicecall.engine;

import org.jspecify.annotations.NullMarked;
