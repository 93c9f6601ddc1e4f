package dev.sluice.core.dataset;

/** A cell that does not hold a value of its column's type; the message is the per-record error. */
public class InvalidValueException extends IllegalArgumentException {

    public InvalidValueException(String message) {
        super(message);
    }
}
