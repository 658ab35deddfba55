package io.jmmdit.weights;

/** A checkpoint that cannot be read as asked: the message names the file and, where known, the tensor. */
public class WeightsException extends RuntimeException {

    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
