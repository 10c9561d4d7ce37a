"""Live camera pictures inside screens: a `LiveView` marks the place, `LiveCameras` fills it.

Screens stay plain functions of their step: they place a `LiveView("face")` or
`LiveView("document")`, and the shell hands each view the running preview of its camera
(`LiveCameras.show_in`). One preview per camera lives across screens, so page after page of a
scan keeps one picture and one detector process instead of starting them anew; a screen without
a view stops it (in the background: the GUI thread never waits on a camera). Without a camera
(screen tests, a terminal that has none) the view shows a picture of what to do.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QSizePolicy, QStackedLayout, QWidget

from devices.camera.frames import Camera
from ui.camera_preview import CameraPreview
from ui.pictures import Picture
from ui.tokens import Tokens

FAMILIES = {"face": "face_camera", "document": "document_camera"}


class LiveView(QWidget):
    def __init__(self, analyse: str, tokens: Tokens) -> None:
        super().__init__()
        self.family = FAMILIES[analyse]
        self.analyse = analyse
        self.preview: CameraPreview | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(Picture("face" if analyse == "face" else "page", tokens))

    def attach(self, preview: CameraPreview) -> None:
        self.preview = preview
        self._stack.addWidget(preview)
        self._stack.setCurrentWidget(preview)
        preview.show()
        preview.start()


class LiveCameras:
    """The kiosk's cameras by family, and the one preview of each while a screen shows it."""

    def __init__(self, cameras: dict[str, Camera], detect: bool = True) -> None:
        self.cameras = cameras
        self.detect = detect  # draw the face box / page outline (a detector process each)
        self.previews: dict[str, CameraPreview] = {}

    @classmethod
    def of(cls, by_family: Mapping[str, object], detect: bool = True) -> LiveCameras:
        """The face and document cameras among a terminal's devices (`Devices.by_family`)."""
        cameras = {family: camera for family in FAMILIES.values()
                   if (camera := getattr(by_family.get(family), "camera", None)) is not None}
        return cls(cameras, detect)

    def show_in(self, screen: QWidget) -> None:
        used = set()
        for view in screen.findChildren(LiveView):
            camera = self.cameras.get(view.family)
            if camera is None:
                continue
            preview = self.previews.get(view.family)
            if preview is None:
                preview = CameraPreview(camera, view.analyse if self.detect else None)
                self.previews[view.family] = preview
            view.attach(preview)
            used.add(view.family)
        for family, preview in self.previews.items():
            if family not in used:
                # out of the old screen before it is deleted; frames dropped
                preview.setParent(None)
                preview.stop_soon()
