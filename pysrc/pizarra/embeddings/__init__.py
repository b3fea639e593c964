"""The Embeddings page's models (course, section 1): counts, PPMI and SVD; word2vec (SGNS and CBOW);
vector sets with neighbours, analogies and projections; their evaluation."""
