"""便民服务 on the reference platform: each hall's tiles (`tiles`), the third parties behind
them (`weather`, `news`, `express`, and the reference `enterprise` and `violations` with
sample data), the bounded HTTP they are asked over (`third_party`), the desk that caches feeds
and times lookups out (`desk`), a print tile's document (`document`), and a steerable
simulator of all the third parties for tests and the demo (`simulator`).
"""
