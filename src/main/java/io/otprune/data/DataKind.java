package io.otprune.data;

/** The formats a data set folder can be in, as detected from its contents. */
public enum DataKind {
    IDX("idx", "IDX files (MNIST layout)"),
    IMAGE_FOLDERS_SPLIT("image-folders", "image folders: train/<class>/* and test/<class>/*"),
    IMAGE_FOLDERS("image-folders-one", "image folders: <class>/*, split into train and test by a seeded fraction"),
    CIFAR10("cifar-10", "CIFAR-10 binary files (data_batch_1..5.bin, test_batch.bin)"),
    CIFAR100("cifar-100", "CIFAR-100 binary files (train.bin, test.bin)");

    private final String id;
    private final String description;

    DataKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }
}
