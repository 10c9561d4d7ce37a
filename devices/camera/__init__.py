"""Cameras: frame sources read in a worker, the document camera (高拍仪) and face capture."""
