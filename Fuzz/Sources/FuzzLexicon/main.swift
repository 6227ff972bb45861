import FuzzSupport

FuzzSupport.run { data, size in fuzzLexicon(data, size) }
