from alsrx.cli import main

main()
