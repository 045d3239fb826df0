# The two commands of README.md, and a few conveniences.
.PHONY: sample sample-remote console console-screenshots test build clean-world

sample:            ## set up, then run the main job on the shipped sample world
	scripts/run-sample-world.sh

sample-remote:     ## the sample world through the daemon, with partners on local SFTP and HTTP servers
	scripts/sample-remote.sh

console:           ## the web console and the partner portal on the sample world, at http://127.0.0.1:8470/console/
	scripts/console-demo.sh

console-screenshots: ## the browser tests, saving the main pages to docs/console/ (the README's pictures)
	scripts/browser-test.sh docs/console

test:              ## set up, then run every test
	scripts/test.sh

build:
	swift build

clean-world:       ## forget the sample world's run: store, archive, quarantine, inbox and outbox files
	rm -rf var archive quarantine inbox/*/ outbox/*/
