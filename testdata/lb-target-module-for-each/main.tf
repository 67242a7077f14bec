# Load balancer targets named through a module output that terraform's plan JSON lists
# without its name (`module.x[each.key].out` is written as `module.x` and `each.key`):
# `module.tg["a"]` has two target groups with an output each, so a target group named
# `module.tg[each.key].<output>` is not known at plan time.
#
# app: registered by an attachment whose target group is not known; the listener on 80
# forwards to the web group (a constant key).
# worker: registered in the workers group (a constant key); the listener on 81 forwards to a
# group that is not known.
# db: registered nowhere.
# ops: in `aws_lb_target_group.ops`, which a listener rule whose listener is
# `module.lb[each.key].listener_arn` forwards to, and a listener whose load balancer is
# `module.lb[each.key].lb_arn` (two outputs each: not known).

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_subnet" "public" {
  count = 2

  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_route_table_association" "public" {
  count = 2

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# No route to the internet: only the load balancer reaches in.
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "lb" {
  name   = "lb"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 80
    to_port     = 81
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port       = 8080
    to_port         = 9090
    protocol        = "tcp"
    security_groups = [aws_security_group.lb.id]
  }
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  subnets            = aws_subnet.public[*].id
  security_groups    = [aws_security_group.lb.id]
}

module "tg" {
  source   = "./modules/tg"
  for_each = { a = "a" }

  vpc_id = aws_vpc.main.id
}

resource "aws_lb_listener" "web" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = module.tg["a"].web_arn
  }
}

resource "aws_lb_listener" "workers" {
  for_each = { a = "a" }

  load_balancer_arn = aws_lb.web.arn
  port              = 81
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = module.tg[each.key].workers_arn
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "worker" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "db" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_lb_target_group_attachment" "app" {
  for_each = { a = "a" }

  target_group_arn = module.tg[each.key].web_arn
  target_id        = aws_instance.app.id
  port             = 8080
}

resource "aws_lb_target_group_attachment" "worker" {
  target_group_arn = module.tg["a"].workers_arn
  target_id        = aws_instance.worker.id
  port             = 9090
}

# The ops load balancers of `module.lb["a"]` admit 82 and 83 from anywhere.
resource "aws_security_group" "ops_lb" {
  name   = "ops-lb"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 82
    to_port     = 83
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "ops" {
  name   = "ops"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port       = 7070
    to_port         = 7070
    protocol        = "tcp"
    security_groups = [aws_security_group.ops_lb.id]
  }
}

module "lb" {
  source   = "./modules/lb"
  for_each = { a = "a" }

  subnet_ids        = aws_subnet.public[*].id
  security_group_id = aws_security_group.ops_lb.id
}

resource "aws_lb_target_group" "ops" {
  name     = "ops"
  port     = 7070
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

resource "aws_instance" "ops" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.ops.id]
}

resource "aws_lb_target_group_attachment" "ops" {
  target_group_arn = aws_lb_target_group.ops.arn
  target_id        = aws_instance.ops.id
  port             = 7070
}

resource "aws_lb_listener_rule" "ops" {
  for_each = { a = "a" }

  listener_arn = module.lb[each.key].listener_arn

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ops.arn
  }

  condition {
    path_pattern {
      values = ["/ops/*"]
    }
  }
}

resource "aws_lb_listener" "ops" {
  for_each = { a = "a" }

  load_balancer_arn = module.lb[each.key].lb_arn
  port              = 83
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.ops.arn
  }
}

# legacy: attached to a Classic Load Balancer named `module.classic[each.key].name` (two
# outputs: not known).
resource "aws_security_group" "classic" {
  name   = "classic"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 84
    to_port     = 84
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "legacy" {
  name   = "legacy"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port       = 6060
    to_port         = 6060
    protocol        = "tcp"
    security_groups = [aws_security_group.classic.id]
  }
}

module "classic" {
  source   = "./modules/classic"
  for_each = { a = "a" }

  subnet_ids        = aws_subnet.public[*].id
  security_group_id = aws_security_group.classic.id
}

resource "aws_instance" "legacy" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.legacy.id]
}

resource "aws_elb_attachment" "legacy" {
  for_each = { a = "a" }

  elb      = module.classic[each.key].name
  instance = aws_instance.legacy.id
}

# named: attached to a Classic Load Balancer by its name, known at plan time (the name is
# its ID).
resource "aws_elb" "named" {
  name            = "named"
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.classic.id]

  listener {
    lb_port           = 84
    lb_protocol       = "http"
    instance_port     = 6060
    instance_protocol = "http"
  }
}

resource "aws_instance" "named" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.legacy.id]
}

resource "aws_elb_attachment" "named" {
  elb      = aws_elb.named.name
  instance = aws_instance.named.id
}

# An Auto Scaling group registered in the web group by an attachment that names the group
# by its name, known at plan time (an Auto Scaling group's ID is its name).
resource "aws_launch_template" "workers" {
  name_prefix            = "workers-"
  image_id               = "ami-12345678"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_autoscaling_group" "workers" {
  name                = "workers"
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.private.id]

  launch_template {
    id      = aws_launch_template.workers.id
    version = "$Latest"
  }
}

resource "aws_autoscaling_attachment" "workers" {
  autoscaling_group_name = aws_autoscaling_group.workers.name
  lb_target_group_arn    = module.tg["a"].web_arn
}

# A target group of another VPC: AWS registers in it only targets of that VPC, and only
# its load balancers forward to it.
resource "aws_vpc" "other" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_lb_target_group" "other" {
  name     = "other"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.other.id
}
