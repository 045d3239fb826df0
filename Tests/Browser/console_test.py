"""The web console and the partner portal in a real browser (Debian's chromium, driven by Selenium).

scripts/browser-test.sh sets up the console demo world, starts omnihub on a free port and runs
this file; it needs OMNIHUB_CONSOLE_URL (http://127.0.0.1:PORT) and OMNIHUB_DEMO (the demo world's
folder). With OMNIHUB_SCREENSHOTS set, the main pages are saved there as PNG files.
"""

import os
import sqlite3
import tempfile
import time
import unittest
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["OMNIHUB_CONSOLE_URL"].rstrip("/")
DEMO = Path(os.environ["OMNIHUB_DEMO"])
SCREENSHOTS = os.environ.get("OMNIHUB_SCREENSHOTS")


def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--lang=de-DE"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": downloads, "download.prompt_for_download": False,
        "intl.accept_languages": "de-DE,de"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    return driver


class ConsoleInABrowser(unittest.TestCase):
    def setUp(self):
        self.downloads = tempfile.mkdtemp()
        self.driver = browser(self.downloads)
        self.wait = WebDriverWait(self.driver, 20)

    def tearDown(self):
        self.driver.quit()

    def shot(self, name):
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(Path(SCREENSHOTS) / f"{name}.png"))

    def sign_in(self, path, name, password):
        self.driver.get(BASE + path)
        self.assertIn("/login", self.driver.current_url)
        self.driver.find_element(By.ID, "name").send_keys(name)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.follow(self.driver.find_element(By.ID, "sign-in"))

    def follow(self, element):
        """Clicks a link or a form's button and waits for the page it leads to: the clicked page's
        elements go stale once the browser has the new one. Reading the page straight after the
        click could read the old page, or an element of it that goes stale while it is read.

        Chrome reports an element of a page it is replacing either as stale or, while the swap is
        under way, as a node that "does not belong to the document"; both mean the page is gone."""
        element.click()

        def gone(_driver):
            try:
                element.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if "does not belong to the document" in str(error):
                    return True
                raise

        self.wait.until(gone)

    def test_1_care_finds_an_order_cancels_a_line_and_sees_the_refund(self):
        self.sign_in("/console/", "care", "wrong-password")
        self.assertIn("do not match", self.driver.find_element(By.CLASS_NAME, "problem").text)
        self.driver.find_element(By.ID, "name").send_keys("care")
        self.driver.find_element(By.ID, "password").send_keys("omnihub-demo")
        self.follow(self.driver.find_element(By.ID, "sign-in"))
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Dashboard")
        self.shot("dashboard")

        self.follow(self.driver.find_element(By.LINK_TEXT, "Orders"))
        self.driver.find_element(By.ID, "q").send_keys("Anna")
        self.follow(self.driver.find_element(By.ID, "search"))
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#orders tbody tr")
        self.assertEqual(len(rows), 2, "Anna Huber and Anna Nowak")
        self.shot("orders")
        self.driver.find_element(By.ID, "q").clear()
        self.driver.find_element(By.ID, "q").send_keys("#1045")
        self.follow(self.driver.find_element(By.ID, "search"))
        # One exact order number opens the order.
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Order #1045")
        self.assertEqual(self.driver.find_element(By.ID, "order-status").text, "sourced")
        self.assertIn("No refunds", self.driver.page_source)

        self.driver.find_element(By.CSS_SELECTOR, "#cancel summary").click()
        Select(self.driver.find_element(By.ID, "cancel-line")).select_by_index(1)
        self.driver.find_element(By.ID, "cancel-qty").send_keys("1")
        self.driver.find_element(By.ID, "cancel-reason").send_keys("customer asked by phone")
        self.follow(self.driver.find_element(By.ID, "cancel-submit"))
        # Nothing happens before the confirmation.
        self.assertIn("Cancel units of #1045", self.driver.find_element(By.TAG_NAME, "h1").text)
        self.assertIn("1 unit(s) of line", self.driver.page_source)
        self.shot("confirm-cancel")
        self.follow(self.driver.find_element(By.ID, "confirm"))

        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Order #1045")
        cancelled = self.driver.find_element(By.CSS_SELECTOR, "#lines tbody tr td.cancelled-units").text
        self.assertEqual(cancelled, "1")
        refunds = self.driver.find_elements(By.CSS_SELECTOR, "#refunds .refund-amount")
        self.assertEqual(len(refunds), 1)
        self.assertTrue(refunds[0].text.endswith("EUR"), refunds[0].text)
        self.assertIn(",", refunds[0].text, "amounts in the browser's locale (de-DE): a decimal comma")
        self.assertIn("care", self.driver.find_element(By.ID, "history").text, "the operator's name is recorded")
        self.shot("order")

        for page, name, title in (("/console/files", "files", "Files"),
                                  ("/console/stock?sku=TSHIRT-WHT-M", "stock", "Stock"),
                                  ("/console/what-if", "what-if", "What if"),
                                  ("/console/partners", "partners", "Partners")):
            self.driver.get(BASE + page)
            self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, title)
            self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "main .problem"), [], page)
            self.shot(name)
        self.driver.get(BASE + "/console/what-if")
        strategies = [row.text.split()[0] for row in self.driver.find_elements(By.CSS_SELECTOR, "#what-if tbody tr")]
        self.assertEqual(sorted(strategies), ["distance", "optimize", "priority"])

    def test_2_a_viewer_may_look_but_not_cancel(self):
        self.sign_in("/console/orders?q=%231042", "viewer", "omnihub-demo")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Order #1042", "back where it was going")
        self.assertEqual(len(self.driver.find_elements(By.ID, "cancel")), 0)

    def test_3_a_partner_downloads_its_purchase_order_uploads_its_dispatches_and_sees_the_order_shipped(self):
        self.sign_in("/portal/", "dropship-nordic", "nordic-demo")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Your documents")
        link = self.driver.find_element(By.CSS_SELECTOR, "#documents a.download")
        name = link.text
        self.assertTrue(name.startswith("PO-dropship-nordic-"), name)
        self.shot("portal")
        link.click()
        downloaded = Path(self.downloads) / name
        for _ in range(50):
            if downloaded.exists():
                break
            time.sleep(0.2)
        self.assertTrue(downloaded.exists(), f"{name} was downloaded")
        self.assertIn("PO-2026-11-0042", downloaded.read_text())
        self.driver.find_element(By.CSS_SELECTOR, "#documents button.ack").click()
        # The form posts and the portal answers with a redirect: wait for the page it leads to.
        self.wait.until(lambda driver: "Nothing new" in driver.page_source)

        dispatch = DEMO / "for-upload" / "dispatch-20261126.csv"
        self.driver.find_element(By.ID, "upload-file").send_keys(str(dispatch))
        self.driver.find_element(By.ID, "upload-submit").click()
        self.wait.until(EC.text_to_be_present_in_element((By.ID, "upload-result"), "Received"))
        # The daemon's next cycle imports it and books the parcel.
        deadline = time.time() + 90
        while time.time() < deadline:
            self.driver.get(BASE + "/portal/")
            states = [cell.text for cell in self.driver.find_elements(By.CSS_SELECTOR, "#uploads .status")]
            if "imported" in states:
                break
            time.sleep(1)
        self.assertIn("imported", states)
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#orders tbody tr")
        order = [row.text for row in rows if "PO-2026-11-0042" in row.text and "BOOK-WINTER" in row.text]
        self.assertEqual(len(order), 1, [row.text for row in rows])
        self.assertTrue(order[0].endswith("shipped"), order[0])

    def test_4_a_partner_never_reaches_another_partners_document(self):
        with sqlite3.connect(DEMO / "var" / "omnihub.sqlite") as store:
            foreign = [row[0] for row in store.execute(
                "SELECT id FROM outbound_documents WHERE destination != 'dropship-nordic' AND status = 'written'")]
        self.assertTrue(foreign)
        self.sign_in("/portal/", "dropship-nordic", "nordic-demo")
        for document in foreign[:10]:
            self.driver.get(f"{BASE}/portal/documents/{document}")
            self.assertIn("is not there", self.driver.find_element(By.CLASS_NAME, "problem").text)
        self.assertEqual(list(Path(self.downloads).iterdir()), [])
        # The portal's session does not open the console.
        self.driver.get(BASE + "/console/")
        self.assertIn("/console/login", self.driver.current_url)


if __name__ == "__main__":
    unittest.main(verbosity=2)
