"""The year-end distribution over HTTP and on the desk: plans drafted, posted and paid, the
holders' lines, and the files for the credit union."""
