"""The alsrx exercise library: entries, their key poses and the rules that choose them."""
